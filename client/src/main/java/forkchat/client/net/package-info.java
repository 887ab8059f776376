/**
 * The connection: {@link forkchat.client.net.Dialer} opens TCP or TLS sockets,
 * {@link forkchat.client.net.Connection} reads and writes lines with blocking I/O, and
 * {@link forkchat.client.net.Link} keeps a session connected, with
 * {@link forkchat.client.net.Backoff} between attempts and a read timeout as keepalive.
 */
package forkchat.client.net;
