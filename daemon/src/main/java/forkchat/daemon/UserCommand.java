package forkchat.daemon;

import forkchat.config.Config;
import forkchat.config.ConfigException;
import forkchat.worker.AccountStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code forkchatd user add|passwd|del|list}: the accounts of {@code auth = accounts}, in the
 * state directory of the configuration given to forkchatd ({@code --config}, {@code -c}). A
 * password is prompted for twice on a terminal and read as one line from standard input
 * otherwise (for scripts); it is never an argument, so it never shows in ps or shell history.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage accounts (auth = accounts): the account name is the nick.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Del.class, UserCommand.List.class})
final class UserCommand {

    @ParentCommand
    Forkchatd forkchatd;

    AccountStore store() {
        Config config = Config.load(forkchatd.configFile, forkchatd.overrides);
        return AccountStore.in(config.stateDir());
    }

    static int run(UserCommand user, Action action) {
        try {
            return action.run(user.store());
        } catch (ConfigException e) {
            System.err.println("forkchatd: " + e.getMessage());
            return Forkchatd.EX_CONFIG;
        } catch (IllegalArgumentException e) {
            System.err.println("forkchatd: " + e.getMessage());
            return 65; // EX_DATAERR
        } catch (IOException e) {
            System.err.println("forkchatd: " + e.getMessage());
            return 74; // EX_IOERR
        }
    }

    interface Action {
        int run(AccountStore store) throws IOException;
    }

    /** A subcommand about one account: the parent (for the state directory) and the account name. */
    abstract static class Named implements Callable<Integer> {
        @ParentCommand
        UserCommand user;

        @Parameters(paramLabel = "NAME", description = "the account, which is also the nick")
        String name;
    }

    /** The new password: twice on a terminal, one line from standard input otherwise. */
    static char[] readPassword(String name) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", name);
            char[] second = console.readPassword("Again: ");
            try {
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    throw new IllegalArgumentException("the passwords differ");
                }
            } finally {
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
            return checked(first);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return checked(line.toCharArray());
    }

    private static char[] checked(char[] password) {
        if (password.length < 8) {
            Arrays.fill(password, '\0');
            throw new IllegalArgumentException("a password needs at least 8 characters");
        }
        return password;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create an account (asks for its password).")
    static final class Add extends Named {
        @Override
        public Integer call() {
            return run(user, store -> {
                if (store.hashOf(name) != null) {
                    throw new IllegalArgumentException("account " + name + " exists; use 'user passwd'");
                }
                setPassword(store, name);
                System.out.println("account " + name + " created");
                return 0;
            });
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change an account's password.")
    static final class Passwd extends Named {
        @Override
        public Integer call() {
            return run(user, store -> {
                if (store.hashOf(name) == null) {
                    throw new IllegalArgumentException("no account " + name);
                }
                setPassword(store, name);
                System.out.println("password of " + name + " changed");
                return 0;
            });
        }
    }

    private static void setPassword(AccountStore store, String name) throws IOException {
        char[] password = readPassword(name);
        try {
            store.put(name, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete an account.")
    static final class Del extends Named {
        @Override
        public Integer call() {
            return run(user, store -> {
                if (!store.remove(name)) {
                    throw new IllegalArgumentException("no account " + name);
                }
                System.out.println("account " + name + " deleted");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        UserCommand user;

        @Override
        public Integer call() {
            return run(user, store -> {
                store.names().forEach(System.out::println);
                return 0;
            });
        }
    }
}
