package foodtrace.devserver;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Development / CI Neo4j server: an embedded Neo4j 5 (community) database with
 * its Bolt connector listening on a loopback address.
 *
 * <pre>
 * java -jar foodtrace-neo4j-devserver.jar --data DIR [--port 7687] [--host 127.0.0.1]
 *      [--password PW | --no-auth] [--pagecache 256m] [--tx-timeout 120s]
 * </pre>
 *
 * With auth on, the built-in user {@code neo4j} gets the given password (no
 * change required) on every start. Once Bolt is up and the password is set, one
 * line beginning with {@code READY} is printed to stdout. SIGTERM/SIGINT shut the
 * database down cleanly.
 */
public final class DevServer {

    static final String USER = "neo4j";
    /** Neo4j's default dbms.security.auth_minimum_password_length. */
    static final int MIN_PASSWORD_LENGTH = 8;

    private DevServer() {}

    public static void main(String[] args) {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("devserver: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (opts.help) {
            System.out.println(Options.USAGE);
            return;
        }
        try {
            run(opts);
        } catch (Throwable t) {
            System.err.println("devserver: FAILED to start: " + t);
            t.printStackTrace();
            System.out.flush();
            System.err.flush();
            // halt: Neo4j's non-daemon threads must not keep a half-started JVM alive
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(Options opts) throws Exception {
        PrintStream out = System.out;
        Path home = opts.data.toAbsolutePath().normalize();
        Files.createDirectories(home);

        long t0 = System.nanoTime();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(opts.host, opts.port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(opts.host, opts.port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // dbms.usage_report.enabled
                .setConfig(GraphDatabaseSettings.auth_enabled, opts.auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, opts.pagecacheBytes)
                .setConfig(GraphDatabaseSettings.transaction_timeout, opts.txTimeout)
                .setConfig(GraphDatabaseSettings.lock_acquisition_timeout, opts.txTimeout)
                // Quick stop: Netty's graceful-shutdown quiet periods otherwise add ~10 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1));

        DatabaseManagementService dbms = builder.build();
        long tBuilt = System.nanoTime();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("devserver: shutting down");
            out.flush();
            try {
                dbms.shutdown();
                out.println("devserver: stopped");
            } catch (Throwable t) {
                System.err.println("devserver: error during shutdown: " + t);
            } finally {
                out.flush();
                stopped.countDown();
            }
        }, "devserver-shutdown"));

        long tAuth;
        try {
            if (opts.auth) {
                setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), opts.password);
            }
            tAuth = System.nanoTime();
            // Fail fast if the default database did not come up; also warms up Cypher.
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            db.executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            try {
                dbms.shutdown(); // leave the store clean before main() halts the JVM
            } catch (Throwable suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }

        long tEnd = System.nanoTime();
        long ms = (tEnd - t0) / 1_000_000;
        out.printf(Locale.ROOT, "devserver: started dbms in %dms, auth setup %dms, first query %dms%n",
                (tBuilt - t0) / 1_000_000, (tAuth - tBuilt) / 1_000_000, (tEnd - tAuth) / 1_000_000);
        out.printf(Locale.ROOT, "READY bolt://%s:%d auth=%s user=%s data=%s pagecache=%d tx-timeout=%ss startup=%dms pid=%d%n",
                opts.host, opts.port, opts.auth ? "on" : "off", opts.auth ? USER : "-", home,
                opts.pagecacheBytes, opts.txTimeout.toSeconds(), ms, ProcessHandle.current().pid());
        out.flush();

        stopped.await();
    }

    /**
     * Give user neo4j the password (embedded calls run with full privileges).
     * Repeated on every start so the password always follows the flag; Neo4j
     * refuses to "change" a password to its current value, which is fine here.
     */
    static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /** Command-line flags. */
    static final class Options {
        static final String USAGE = String.join("\n",
                "usage: devserver --data DIR [--port 7687] [--host 127.0.0.1]",
                "                 [--password PW | --no-auth] [--pagecache 256m] [--tx-timeout 120s]",
                "  --data DIR        Neo4j home directory (databases under DIR/data, logs under DIR/logs)",
                "  --port N          Bolt port (default 7687)",
                "  --host ADDR       Bolt listen address (default 127.0.0.1)",
                "  --password PW     password for user neo4j (default: $FOODTRACE_NEO4J_PASSWORD or foodtrace-dev)",
                "  --no-auth         disable authentication",
                "  --pagecache SIZE  page cache size, e.g. 256m, 1g (default 256m)",
                "  --tx-timeout DUR  transaction / lock timeout, e.g. 120s, 5m, 0 = none (default 120s)");

        Path data;
        String host = "127.0.0.1";
        int port = 7687;
        boolean auth = true;
        String password;
        long pagecacheBytes = parseSize("256m");
        Duration txTimeout = Duration.ofSeconds(120);
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            String envPw = System.getenv("FOODTRACE_NEO4J_PASSWORD");
            o.password = envPw != null && !envPw.isEmpty() ? envPw : "foodtrace-dev";
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    v = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "--no-auth" -> o.auth = false;
                    case "--data", "--port", "--host", "--password", "--pagecache", "--tx-timeout" -> {
                        if (v == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException("missing value for " + a);
                            }
                            v = args[++i];
                        }
                        switch (a) {
                            case "--data" -> o.data = Path.of(v);
                            case "--port" -> o.port = parsePort(v);
                            case "--host" -> o.host = v;
                            case "--password" -> { o.password = v; o.auth = true; }
                            case "--pagecache" -> o.pagecacheBytes = parseSize(v);
                            case "--tx-timeout" -> o.txTimeout = parseDuration(v);
                            default -> throw new AssertionError(a);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (!o.help && o.data == null) {
                throw new IllegalArgumentException("--data DIR is required");
            }
            if (o.auth && o.password.length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException(
                        "password must be at least " + MIN_PASSWORD_LENGTH + " characters (Neo4j policy)");
            }
            return o;
        }

        static int parsePort(String v) {
            int p;
            try {
                p = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port: " + v);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("bad port: " + v);
            }
            return p;
        }

        /** "256m", "1g", "512k", "1048576" -> bytes. */
        static long parseSize(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            if (s.endsWith("b")) {
                s = s.substring(0, s.length() - 1);
            }
            long mult = 1;
            if (!s.isEmpty()) {
                switch (s.charAt(s.length() - 1)) {
                    case 'k' -> mult = 1L << 10;
                    case 'm' -> mult = 1L << 20;
                    case 'g' -> mult = 1L << 30;
                    default -> mult = 1;
                }
            }
            if (mult != 1) {
                s = s.substring(0, s.length() - 1);
            }
            try {
                long n = Long.parseLong(s) * mult;
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad size: " + v);
            }
        }

        /** "120s", "5m", "500ms", "1h", "0", "90" (seconds) -> Duration. */
        static Duration parseDuration(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            try {
                if (s.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                } else if (s.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
                } else if (s.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
                } else if (s.endsWith("h")) {
                    return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad duration: " + v);
            }
        }
    }
}
