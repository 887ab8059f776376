package forkchat.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Event ⇄ record payload bytes. A compact, versioned binary form:
 *
 * <pre>
 *   payload = version:u8 (= 1)  type:u8  field*
 *   string  = length:varint  UTF-8 bytes     (varint: unsigned LEB128, at most 5 bytes)
 *   bool    = u8 (0 or 1)
 *
 *   type 1 ServerStart  serverName
 *   type 2 Connect      session nick user host realname
 *   type 3 NickChange   session oldNick newNick
 *   type 4 Join         session nick channel
 *   type 5 Part         session nick channel reason
 *   type 6 Quit         session reason
 *   type 7 Topic        session nick channel text
 *   type 8 Message      session source notice:bool target text
 *   type 9 Away         session message
 * </pre>
 *
 * Decoding is strict and safe on hostile input: any truncation, unknown version or type, length
 * beyond the payload, invalid UTF-8, bad boolean or trailing byte is an
 * {@link IllegalArgumentException}, and no allocation is larger than the payload itself. A null
 * string field is encoded as the empty string (the log has no nulls).
 */
public final class EventCodec {

    /** The format version written by this code, the first byte of every payload. */
    public static final int VERSION = 1;

    private static final int SERVER_START = 1;
    private static final int CONNECT = 2;
    private static final int NICK_CHANGE = 3;
    private static final int JOIN = 4;
    private static final int PART = 5;
    private static final int QUIT = 6;
    private static final int TOPIC = 7;
    private static final int MESSAGE = 8;
    private static final int AWAY = 9;

    private EventCodec() {
    }

    public static byte[] encode(Event event) {
        Writer w = new Writer();
        w.out.write(VERSION);
        switch (event) {
            case Event.ServerStart e -> w.type(SERVER_START).str(e.serverName());
            case Event.Connect e -> w.type(CONNECT).str(e.session()).str(e.nick()).str(e.user()).str(e.host())
                    .str(e.realname());
            case Event.NickChange e -> w.type(NICK_CHANGE).str(e.session()).str(e.oldNick()).str(e.newNick());
            case Event.Join e -> w.type(JOIN).str(e.session()).str(e.nick()).str(e.channel());
            case Event.Part e -> w.type(PART).str(e.session()).str(e.nick()).str(e.channel()).str(e.reason());
            case Event.Quit e -> w.type(QUIT).str(e.session()).str(e.reason());
            case Event.Topic e -> w.type(TOPIC).str(e.session()).str(e.nick()).str(e.channel()).str(e.text());
            case Event.Message e -> w.type(MESSAGE).str(e.session()).str(e.source()).bool(e.notice())
                    .str(e.target()).str(e.text());
            case Event.Away e -> w.type(AWAY).str(e.session()).str(e.message());
        }
        return w.out.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not an event this version knows */
    public static Event decode(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("no payload");
        }
        Reader r = new Reader(payload);
        int version = r.u8();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown event format version " + version);
        }
        int type = r.u8();
        Event event = switch (type) {
            case SERVER_START -> new Event.ServerStart(r.str());
            case CONNECT -> new Event.Connect(r.str(), r.str(), r.str(), r.str(), r.str());
            case NICK_CHANGE -> new Event.NickChange(r.str(), r.str(), r.str());
            case JOIN -> new Event.Join(r.str(), r.str(), r.str());
            case PART -> new Event.Part(r.str(), r.str(), r.str(), r.str());
            case QUIT -> new Event.Quit(r.str(), r.str());
            case TOPIC -> new Event.Topic(r.str(), r.str(), r.str(), r.str());
            case MESSAGE -> new Event.Message(r.str(), r.str(), r.bool(), r.str(), r.str());
            case AWAY -> new Event.Away(r.str(), r.str());
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
        if (r.pos != payload.length) {
            throw new IllegalArgumentException((payload.length - r.pos) + " trailing bytes after " + type);
        }
        return event;
    }

    /** One readable line for administrators ({@code forkchatd log dump}). */
    public static String describe(Event event) {
        return switch (event) {
            case Event.ServerStart e -> "server-start server=" + q(e.serverName());
            case Event.Connect e -> "connect session=" + q(e.session()) + " nick=" + q(e.nick()) + " user="
                    + q(e.user()) + " host=" + q(e.host()) + " realname=" + q(e.realname());
            case Event.NickChange e -> "nick session=" + q(e.session()) + " from=" + q(e.oldNick()) + " to="
                    + q(e.newNick());
            case Event.Join e -> "join session=" + q(e.session()) + " nick=" + q(e.nick()) + " channel="
                    + q(e.channel());
            case Event.Part e -> "part session=" + q(e.session()) + " nick=" + q(e.nick()) + " channel="
                    + q(e.channel()) + " reason=" + q(e.reason());
            case Event.Quit e -> "quit session=" + q(e.session()) + " reason=" + q(e.reason());
            case Event.Topic e -> "topic session=" + q(e.session()) + " nick=" + q(e.nick()) + " channel="
                    + q(e.channel()) + " text=" + q(e.text());
            case Event.Message e -> (e.notice() ? "notice" : "privmsg") + " session=" + q(e.session())
                    + " source=" + q(e.source()) + " target=" + q(e.target()) + " text=" + q(e.text());
            case Event.Away e -> "away session=" + q(e.session()) + " message=" + q(e.message());
        };
    }

    /** A field for {@link #describe}: bare when plain, else quoted with control characters escaped. */
    private static String q(String s) {
        if (s == null) {
            return "\"\"";
        }
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c != 0x7f;
        }
        if (plain) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer type(int type) {
            out.write(type);
            return this;
        }

        Writer bool(boolean b) {
            out.write(b ? 1 : 0);
            return this;
        }

        Writer str(String s) {
            byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
            int n = bytes.length;
            while ((n & ~0x7f) != 0) {
                out.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out.write(n);
            out.write(bytes, 0, bytes.length);
            return this;
        }
    }

    private static final class Reader {
        final byte[] in;
        int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        int u8() {
            if (pos >= in.length) {
                throw new IllegalArgumentException("truncated at byte " + pos);
            }
            return in[pos++] & 0xff;
        }

        boolean bool() {
            int b = u8();
            if (b > 1) {
                throw new IllegalArgumentException("bad boolean " + b + " at byte " + (pos - 1));
            }
            return b == 1;
        }

        int varint() {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = u8();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    if (value > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("length too large at byte " + pos);
                    }
                    return (int) value;
                }
            }
            throw new IllegalArgumentException("length varint too long at byte " + pos);
        }

        String str() {
            int start = pos;
            int n = varint();
            if (n > in.length - pos) {
                throw new IllegalArgumentException("string of " + n + " bytes at byte " + start
                        + " runs past the end (" + in.length + ")");
            }
            String s = Utf8.decodeStrict(in, pos, n);
            if (s == null) {
                throw new IllegalArgumentException("invalid UTF-8 in string at byte " + start);
            }
            pos += n;
            return s;
        }
    }
}
