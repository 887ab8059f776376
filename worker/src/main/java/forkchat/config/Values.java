package forkchat.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for setting values. Each throws IllegalArgumentException with a short reason. */
final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)b?");

    private Values() {
    }

    static Function<Integer> intBetween(int min, int max) {
        return text -> {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        };
    }

    /** "500ms", "30s", "2m", "1h", "30d"; a bare number means seconds. */
    static Function<Duration> durationBetween(Duration min, Duration max) {
        return text -> {
            Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("not a duration like 500ms, 30s, 2m, 1h or 30d");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + format(min) + " and " + format(max));
            }
            return d;
        };
    }

    /** "0", "512k", "64m", "1g" (powers of 1024; a bare number means bytes), or 0 when {@code zero} allows it. */
    static Function<Long> sizeBetween(long min, long max, boolean zero) {
        return text -> {
            Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("not a size like 512k, 64m or 1g");
            }
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("too large");
            }
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new IllegalArgumentException("too large");
            }
            long value = n << shift;
            if (value == 0 && zero) {
                return 0L;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + formatSize(min) + " and " + formatSize(max)
                        + (zero ? ", or 0" : ""));
            }
            return value;
        };
    }

    static String formatSize(long bytes) {
        String[] units = {"", "k", "m", "g", "t"};
        int u = 0;
        while (u < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
            bytes /= 1024;
            u++;
        }
        return bytes + units[u];
    }

    /** A duration as {@link #durationBetween}, or 0 (none) when {@code text} is "0". */
    static Function<Duration> durationOrNone(Duration min, Duration max) {
        Function<Duration> bounded = durationBetween(min, max);
        return text -> text.trim().matches("0+\\s*(ms|s|m|h|d)?") ? Duration.ZERO : bounded.apply(text);
    }

    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    static Function<HostPort> hostPort() {
        return HostPort::parse;
    }

    static <E extends Enum<E>> Function<E> oneOf(Class<E> type) {
        return text -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text)) {
                    return e;
                }
            }
            StringBuilder names = new StringBuilder();
            for (E e : type.getEnumConstants()) {
                names.append(names.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("must be one of " + names);
        };
    }

    /** A server or network name: letters, digits, '.', '-', '_' (it appears in every IRC line). */
    static Function<String> hostname() {
        return text -> {
            if (!text.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new IllegalArgumentException("must be 1-63 letters, digits, '.', '-' or '_'");
            }
            return text;
        };
    }

    /** Empty, or text {@code check} accepts; the value is the text (parse it where it is used). */
    static Function<String> optional(java.util.function.Function<String, ?> check) {
        return text -> {
            if (!text.isEmpty()) {
                check.apply(text);
            }
            return text;
        };
    }

    static Function<Boolean> yesNo() {
        return text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw new IllegalArgumentException("must be yes or no");
        };
    }

    static Function<String> anyText() {
        return text -> text;
    }

    /** The parse function type, so catalog lines stay short. */
    interface Function<T> extends java.util.function.Function<String, T> {
    }
}
