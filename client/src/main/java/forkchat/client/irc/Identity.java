package forkchat.client.irc;

/**
 * Who the client registers as.
 *
 * @param nick     the nick wanted (alternatives are tried when it is taken)
 * @param user     the user name sent in USER
 * @param realName the real name sent in USER
 * @param account  the SASL account name (usually the nick)
 * @param password the SASL password, or null to register without SASL
 */
public record Identity(String nick, String user, String realName, String account, String password) {

    public Identity {
        if (nick == null || nick.isEmpty()) {
            throw new IllegalArgumentException("no nick");
        }
        user = user == null || user.isEmpty() ? nick : user;
        realName = realName == null || realName.isEmpty() ? nick : realName;
        account = account == null || account.isEmpty() ? nick : account;
    }

    /** Registers as {@code nick}, without a password. */
    public static Identity of(String nick) {
        return new Identity(nick, null, null, null, null);
    }

    public boolean hasPassword() {
        return password != null;
    }

    @Override
    public String toString() {
        return "Identity[" + nick + (password == null ? "" : ", with password") + "]"; // never the password
    }
}
