package forkchat.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * Where the SASL password comes from, first match wins: {@code --ask-password} (a prompt),
 * {@code --password-file FILE}, the {@code FORKCHAT_PASSWORD} environment variable, then the
 * config file's {@code password_file}. No password: no SASL. Never from a command-line value,
 * which any user could read in {@code ps}. A password file others can read is used, with a
 * warning.
 */
public final class PasswordSource {

    /** Asks the user for a password (the terminal UI masks it, scripts use the console). */
    @FunctionalInterface
    public interface Prompt {
        /** The typed password, or null when there is no one to ask. */
        String ask(String question) throws IOException;
    }

    private PasswordSource() {
    }

    /** The password, or null for none. */
    static String resolve(ConnectionOptions options, ConfigFile config, Map<String, String> env, Prompt prompt,
                          String account) throws IOException {
        if (options.askPassword) {
            String typed = prompt.ask("Password for " + account + ": ");
            if (typed == null) {
                throw new IOException("--ask-password: no terminal to ask on; use --password-file or "
                        + Profile.PASSWORD_ENV);
            }
            return typed;
        }
        if (options.passwordFile != null) {
            return readFile(options.passwordFile);
        }
        String fromEnv = env.get(Profile.PASSWORD_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        String file = config.get("password_file");
        if (file != null) {
            return readFile(expandHome(file, env));
        }
        return null;
    }

    /** The first line of {@code file}, without its line end. */
    static String readFile(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the password file " + file + ": " + e.getMessage(), e);
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new IOException("the password file " + file + " is empty");
        }
        warnIfReadableByOthers(file);
        return line;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                System.err.println("forkchat: warning: " + file + " is readable by others (chmod 600 " + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    static Path expandHome(String path, Map<String, String> env) {
        if (path.equals("~") || path.startsWith("~/")) {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            return Path.of(home + path.substring(1));
        }
        return Path.of(path);
    }
}
