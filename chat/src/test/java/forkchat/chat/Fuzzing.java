package forkchat.chat;

import java.nio.charset.StandardCharsets;

/**
 * What the fuzz tests share: the checks every line the server writes must pass, and how to run
 * the fuzzers.
 *
 * <p>The fuzz tests ({@link IrcMessageFuzzTest}, {@link LineFramerFuzzTest},
 * {@link EventCodecFuzzTest}, {@link SessionFuzzTest}) are Jazzer {@code @FuzzTest}s. In the
 * normal test run they replay their inputs from
 * {@code src/test/resources/forkchat/chat/<Class>Inputs/<method>/} (seeds, and every finding
 * Jazzer ever wrote there): a short, bounded, deterministic run. To fuzz for real, one target
 * per run (Jazzer fuzzes a single method per JVM), coverage-guided, until the target's
 * {@code maxDuration} or a finding:
 * <pre>
 *   JAZZER_FUZZ=1 mvn -o test -pl chat -Dtest='SessionFuzzTest#sessionsSurviveAnyInput'
 * </pre>
 * Another duration: add {@code -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1=-max_total_time=3600}
 * (any libFuzzer flag can be given that way, e.g. {@code -max_len=8192}). The growing corpus is
 * kept in {@code chat/.cifuzz-corpus/} (ignored by git); a crashing input is written to the
 * target's Inputs directory, where the normal test run replays it from then on: commit it with
 * the fix. Jazzer 0.24 cannot instrument the JDK 25 class files (warnings about class file major
 * version 69): the JDK's own hooks are off, but forkchat's classes (compiled for 21) are
 * instrumented and guide the fuzzer.
 */
final class Fuzzing {

    private Fuzzing() {
    }

    /**
     * Fails unless {@code line} is one valid IRC line as the server may write it: no CR, LF or
     * NUL; at most 510 bytes without its tags (512 with CR LF); parseable with a command.
     */
    static void checkServerLine(String line) {
        if (line == null) {
            throw new AssertionError("null line");
        }
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
            throw new AssertionError("CR, LF or NUL in " + line);
        }
        IrcMessage m;
        try {
            m = IrcMessage.parse(line);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("not a message: " + line, e);
        }
        String untagged = m.tags().isEmpty() ? line : line.substring(line.indexOf(' ') + 1);
        if (untagged.getBytes(StandardCharsets.UTF_8).length > 510) {
            throw new AssertionError("over 510 bytes: " + line);
        }
        if (line.startsWith("@") && line.indexOf(' ') > LineFramer.MAX_TAGGED_LINE - LineFramer.MAX_LINE) {
            throw new AssertionError("tags over 4096 bytes: " + line);
        }
    }
}
