/**
 * The client's IRC core without a terminal or a socket: {@link forkchat.client.irc.Session}
 * takes server lines and user commands and produces {@link forkchat.client.irc.Line}s for a
 * {@link forkchat.client.irc.Screen} and IRC lines for a {@link forkchat.client.irc.Wire}.
 * Registration (CAP, SASL PLAIN, alternative nicks), the roster, history recognition, message
 * splitting and the slash commands live here and are unit-tested by feeding lines in.
 */
package forkchat.client.irc;
