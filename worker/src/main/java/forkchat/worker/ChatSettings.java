package forkchat.worker;

import forkchat.chat.ChatConfig;
import forkchat.config.Config;
import forkchat.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the chat core's {@link ChatConfig} from the daemon's settings. */
public final class ChatSettings {

    private static final Logger log = LoggerFactory.getLogger(ChatSettings.class);

    public static final String VERSION = "forkchat-0.1";

    private ChatSettings() {
    }

    /** @param createdAt when the daemon started, for RPL_CREATED (003) */
    public static ChatConfig from(Config config, String createdAt) {
        return new ChatConfig(
                config.get(Settings.SERVER_NAME),
                config.get(Settings.NETWORK),
                VERSION,
                createdAt,
                motd(config.get(Settings.MOTD_FILE)),
                config.get(Settings.HISTORY_ON_JOIN),
                config.get(Settings.PING_INTERVAL).toMillis(),
                config.get(Settings.PING_TIMEOUT).toMillis(),
                config.get(Settings.REGISTRATION_TIMEOUT).toMillis(),
                config.get(Settings.MAX_CHANNELS_PER_CLIENT),
                config.get(Settings.AUTH),
                config.get(Settings.OFFLINE_DELIVERY_MAX),
                config.get(Settings.FLOOD_LINE_COST).toMillis(),
                config.get(Settings.FLOOD_BURST),
                config.get(Settings.FLOOD_EXCESS).toMillis(),
                config.get(Settings.LOGIN_REQUIRES_TLS));
    }

    private static List<String> motd(String file) {
        if (file.isEmpty()) {
            return List.of();
        }
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("motd_file {} cannot be read ({}); no message of the day", file, e.getMessage());
            return List.of();
        }
    }
}
