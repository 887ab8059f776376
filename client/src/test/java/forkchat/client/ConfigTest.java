package forkchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.net.ServerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The config file, the options and how they combine into a profile. */
class ConfigTest {

    @TempDir
    Path dir;

    private static ConnectionOptions options(String... args) {
        ConnectionOptions o = new ConnectionOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static final PasswordSource.Prompt NO_PROMPT = q -> {
        throw new AssertionError("must not prompt");
    };

    @Test
    void theConfigFileLivesUnderXdgConfigHome() {
        assertEquals(Path.of("/x/cfg/forkchat/config"), ConfigFile.defaultPath(Map.of("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/h")));
        assertEquals(Path.of("/h/.config/forkchat/config"), ConfigFile.defaultPath(Map.of("HOME", "/h")));
        assertEquals(Path.of("/h/.config/forkchat/config"),
                ConfigFile.defaultPath(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h")), "a relative XDG path is ignored");
    }

    @Test
    void parsesKeysValuesCommentsAndQuotes() {
        ConfigFile c = ConfigFile.parse("""
                # my settings
                server = irc.example.org:6697
                tls=yes
                nick = "carol"
                channels = #lobby, #dev ops
                colour = blue
                """, "test");
        assertEquals("irc.example.org:6697", c.get("server"));
        assertTrue(c.bool("tls"));
        assertEquals("carol", c.get("nick"));
        assertEquals(List.of("#lobby", "#dev", "ops"), c.list("channels"));
        assertNull(c.get("insecure"));
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).contains("colour"));
    }

    @Test
    void badLinesAndBooleansNameTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.parse("server\n", "cfg"));
        assertTrue(e.getMessage().startsWith("cfg:1:"), e.getMessage());
        ConfigFile c = ConfigFile.parse("\ntls = maybe\n", "cfg");
        e = assertThrows(IllegalArgumentException.class, () -> c.bool("tls"));
        assertTrue(e.getMessage().contains("cfg:2"), e.getMessage());
    }

    @Test
    void aMissingDefaultFileIsEmptyButAMissingExplicitOneIsAnError() throws IOException {
        assertNull(ConfigFile.load(dir.resolve("none"), false).get("server"));
        assertThrows(IOException.class, () -> ConfigFile.load(dir.resolve("none"), true));
    }

    @Test
    void defaultsWithoutConfigOrOptions() throws IOException {
        Profile p = Profile.resolve(options(), ConfigFile.empty(), Map.of("USER", "dana"), NO_PROMPT);
        assertEquals(new ServerAddress("127.0.0.1", 6667), p.address());
        assertEquals("dana", p.identity().nick());
        assertEquals(List.of("#general"), p.channels());
        assertFalse(p.tls());
        assertNull(p.identity().password());
    }

    @Test
    void optionsWinOverTheConfigFile() throws IOException {
        ConfigFile c = ConfigFile.parse("server = a.example\nnick = fromfile\nchannels = #x\ntls = yes\n", "cfg");
        Profile fromFile = Profile.resolve(options(), c, Map.of(), NO_PROMPT);
        assertEquals(new ServerAddress("a.example", 6697), fromFile.address());
        assertEquals("fromfile", fromFile.identity().nick());
        assertEquals(List.of("#x"), fromFile.channels());
        Profile fromArgs = Profile.resolve(options("--server", "b.example:7000", "--nick", "arg", "-c", "lobby,#dev",
                "--channel", "ops", "--no-tls"), c, Map.of(), NO_PROMPT);
        assertEquals(new ServerAddress("b.example", 7000), fromArgs.address());
        assertEquals("arg", fromArgs.identity().nick());
        assertEquals(List.of("#lobby", "#dev", "#ops"), fromArgs.channels());
        assertFalse(fromArgs.tls());
    }

    @Test
    void badNicksAndChannelsAreRefusedWithAMessage() {
        assertThrows(IllegalArgumentException.class,
                () -> Profile.resolve(options("--nick", "1bad"), ConfigFile.empty(), Map.of(), NO_PROMPT));
        assertThrows(IllegalArgumentException.class,
                () -> Profile.resolve(options("--channel", "#a:b"), ConfigFile.empty(), Map.of(), NO_PROMPT));
    }

    @Test
    void passwordComesFromTheFileTheEnvironmentOrThePromptNeverAnArgument() throws IOException {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "from-file\nignored second line\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertEquals("from-file", Profile.resolve(options("--password-file", pw.toString()), ConfigFile.empty(),
                Map.of("FORKCHAT_PASSWORD", "from-env"), NO_PROMPT).identity().password());
        assertEquals("from-env", Profile.resolve(options(), ConfigFile.empty(),
                Map.of("FORKCHAT_PASSWORD", "from-env"), NO_PROMPT).identity().password());
        assertEquals("typed", Profile.resolve(options("--ask-password"), ConfigFile.empty(), Map.of(),
                q -> "typed").identity().password());
        ConfigFile c = ConfigFile.parse("password_file = " + pw + "\n", "cfg");
        assertEquals("from-file", Profile.resolve(options(), c, Map.of(), NO_PROMPT).identity().password());
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> options("--password", "secret"));
        assertThrows(IOException.class, () -> Profile.resolve(options("--ask-password"), ConfigFile.empty(), Map.of(),
                q -> null));
    }

    @Test
    void theAccountDefaultsToTheNick() throws IOException {
        Profile p = Profile.resolve(options("--nick", "carol"), ConfigFile.empty(), Map.of(), NO_PROMPT);
        assertEquals("carol", p.identity().account());
        assertEquals("acct", Profile.resolve(options("--nick", "carol", "--account", "acct"), ConfigFile.empty(),
                Map.of(), NO_PROMPT).identity().account());
    }

    @Test
    void serverAddressesParse() {
        assertEquals(new ServerAddress("irc.example.org", 6667), ServerAddress.parse("irc.example.org", false));
        assertEquals(new ServerAddress("irc.example.org", 6697), ServerAddress.parse("irc.example.org", true));
        assertEquals(new ServerAddress("127.0.0.1", 7000), ServerAddress.parse("127.0.0.1:7000", true));
        assertEquals(new ServerAddress("::1", 6667), ServerAddress.parse("[::1]", false));
        assertEquals(new ServerAddress("::1", 7000), ServerAddress.parse("[::1]:7000", false));
        assertEquals("[::1]:7000", ServerAddress.parse("[::1]:7000", false).toString());
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("host:port", false));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("host:70000", false));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("", false));
    }

    @Test
    void anUnquotedHashChannelGetsAHint() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cl.execute("--channel"));
        assertTrue(err.toString().contains("'#lobby'"), err.toString());
    }
}
