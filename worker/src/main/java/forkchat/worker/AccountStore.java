package forkchat.worker;

import forkchat.chat.Accounts;
import forkchat.chat.Names;
import forkchat.chat.PasswordHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account store: {@code <state_dir>/accounts}, one {@code name:hash} line per account, the
 * hash a {@link PasswordHash} string (never a clear-text password). The file is readable by the
 * daemon's user only (0600) and always replaced whole: written to a temporary file, synced, then
 * renamed over the old one, so a reader sees the old store or the new one, never half of one.
 * Lookups answer from memory and re-read the file when its modification time changes, so a
 * long-running daemon sees accounts added by {@code forkchatd user add} at once.
 */
public final class AccountStore implements Accounts {

    private static final Logger log = LoggerFactory.getLogger(AccountStore.class);

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private Map<String, Entry> byName = Map.of();
    private FileTime loadedAt;

    private record Entry(String name, String hash) {
    }

    public AccountStore(Path file) {
        this.file = file;
    }

    public static AccountStore in(Path stateDir) {
        return new AccountStore(stateDir.resolve("accounts"));
    }

    @Override
    public String hashOf(String account) {
        if (account == null) {
            return null;
        }
        Entry e = current().get(Names.fold(account));
        return e == null ? null : e.hash();
    }

    /** Account names, sorted. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Entry e : current().values()) {
            names.add(e.name());
        }
        Collections.sort(names);
        return names;
    }

    /** Adds an account or replaces its password. */
    public void put(String name, char[] password) throws IOException {
        if (!Names.isValidNick(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid nick, and the account name is the nick");
        }
        String hash = PasswordHash.hash(password);
        lock.lock();
        try {
            Map<String, Entry> next = new TreeMap<>(read());
            next.put(Names.fold(name), new Entry(name, hash));
            write(next);
        } finally {
            lock.unlock();
        }
    }

    /** Removes an account; false if there was none. */
    public boolean remove(String name) throws IOException {
        lock.lock();
        try {
            Map<String, Entry> next = new TreeMap<>(read());
            if (next.remove(Names.fold(name)) == null) {
                return false;
            }
            write(next);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Entry> current() {
        lock.lock();
        try {
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(file);
            } catch (IOException e) {
                modified = null; // no file: no accounts
            }
            if (modified == null ? loadedAt != null || !byName.isEmpty() : !modified.equals(loadedAt)) {
                byName = read();
                loadedAt = modified;
            }
            return byName;
        } catch (IOException e) {
            log.error("cannot read the account store {}: {}; keeping what was read before", file, e.getMessage());
            return byName;
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Entry> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, Entry> out = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name = colon > 0 ? line.substring(0, colon) : "";
            String hash = colon > 0 ? line.substring(colon + 1) : "";
            if (!Names.isValidNick(name) || !PasswordHash.isWellFormed(hash)) {
                log.warn("{}:{}: not an account line; ignored", file, i + 1);
                continue;
            }
            out.put(Names.fold(name), new Entry(name, hash));
        }
        return out;
    }

    private void write(Map<String, Entry> accounts) throws IOException {
        StringBuilder text = new StringBuilder("# forkchat accounts: name:hash (PBKDF2-HMAC-SHA256); edit with 'forkchatd user'\n");
        for (Entry e : accounts.values()) {
            text.append(e.name()).append(':').append(e.hash()).append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // accounts may be created before the daemon's first start: make its state directory
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            out.write(StandardCharsets.UTF_8.encode(text.toString()));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
