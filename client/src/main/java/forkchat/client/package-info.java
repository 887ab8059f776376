/** forkchat: the terminal IRC client (built under the client issue). */
package forkchat.client;
