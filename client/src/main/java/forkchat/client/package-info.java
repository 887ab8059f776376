/**
 * forkchat: the terminal IRC client, and the {@code send} and {@code tail} commands for scripts.
 *
 * <p><b>Role.</b> One program, three modes over the same core: {@code forkchat} chats in a
 * terminal (JLine: messages appear above the line being typed), {@code forkchat send} delivers
 * lines into a channel and exits only once the server has acknowledged them, {@code forkchat
 * tail} prints a channel's messages one per line for pipes. It speaks plain IRC (RFC 1459/2812
 * with the IRCv3 capabilities server-time, echo-message and sasl when offered), so it works with
 * forkchatd and with any other IRC server.
 *
 * <p><b>Rooms.</b> {@link forkchat.client.irc} is the protocol and state without a terminal or a
 * socket (feed it server lines, read what it would show and send: that is how it is tested);
 * {@link forkchat.client.net} owns the connection (dial, TLS, read, reconnect with backoff);
 * {@link forkchat.client.tui} draws in the terminal. This package reads the command line, the
 * config file and the password, and wires the three for each mode.
 *
 * <p><b>What it never does.</b> It never polls: the input thread blocks in the terminal read,
 * the connection thread in the socket read (its timeout is the keepalive), and idle CPU is ~0.
 * It never takes a password as a command-line value, never sends an unknown {@code /command}
 * to the server (only {@code /quote} sends raw lines), and never prints a control character
 * received from the network.
 *
 * <p><b>Lifecycle and signals.</b> The link connects, registers, joins; when the connection
 * drops it says so, waits 1, 2, 4 … 60 s and does it all again, rejoining the channels and
 * restoring the nick and away state. {@code /quit}, Ctrl-D, SIGTERM and SIGHUP send QUIT and
 * wait briefly for the server's goodbye. A refused SASL login or an impossible nick stops the
 * reconnecting ({@code /reconnect} tries again). Exit status: 0 done, 1 failed, 2 usage.
 */
package forkchat.client;
