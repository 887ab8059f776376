package forkchat.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedWithTheFirstOnesPidUntilItIsReleased() throws IOException {
        Path file = dir.resolve("lock");
        try (StateLock first = StateLock.acquire(file)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(file).strip());
            // a second open file description in the same process conflicts, as another daemon's would
            IOException e = assertThrows(IOException.class, () -> StateLock.acquire(file));
            assertTrue(e.getMessage().contains("another forkchatd (pid " + ProcessHandle.current().pid() + ")"),
                    e.getMessage());
        }
        try (StateLock again = StateLock.acquire(file)) {
            assertEquals(file, again.file());
        }
    }
}
