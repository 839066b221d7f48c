import java.nio.file.Files;
import java.nio.file.Path;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import picocli.CommandLine;

/**
 * Runs one embedded Neo4j Community DBMS with Bolt on 127.0.0.1 until SIGTERM.
 *
 * <p>Started by graph_store/embedded.py: {@code java Neo4jLauncher HOME BOLT_PORT PAGE_CACHE}
 * with the Neo4j jars on the CLASSPATH. The password of the {@code neo4j} user comes from the
 * environment variable {@code NEO4J_EMBEDDED_PASSWORD} so that it never shows up in {@code ps}.
 * embedded.py waits for the {@link #READY} line on stdout before it connects.
 */
public final class Neo4jLauncher {
    static final String READY = "Neo4jLauncher: ready";
    private static final String PASSWORD_ENV = "NEO4J_EMBEDDED_PASSWORD";

    private Neo4jLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        String password = System.getenv(PASSWORD_ENV);
        if (args.length != 3 || password == null || password.isEmpty()) {
            System.err.println("usage: " + PASSWORD_ENV + "=... java Neo4jLauncher HOME BOLT_PORT PAGE_CACHE");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), Integer.parseInt(args[1]), SettingValueParsers.BYTES.parse(args[2]), password);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // runs the shutdown hook if the DBMS is up; Neo4j's threads would keep the JVM alive
        }
        Thread.currentThread().join(); // until SIGTERM, whose shutdown hook stops the DBMS cleanly
    }

    private static void run(Path home, int boltPort, long pageCache, String password) {
        if (!Files.isDirectory(home.resolve("data/databases/system"))) {
            // First start: do what `neo4j-admin dbms set-initial-password` does, so Neo4j creates the
            // neo4j user with our password and the default neo4j/neo4j login never exists.
            var command = new SetInitialPasswordCommand(new ExecutionContext(home, home.resolve("conf")));
            int exitCode = new CommandLine(command).execute("--", password); // "--": it may start with "-"
            if (exitCode != 0) {
                throw new IllegalStateException("set-initial-password failed with exit code " + exitCode);
            }
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Bolt waits this many seconds (default 5) for quiet before it closes on shutdown.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Neo4jLauncher: shutting down");
            dbms.shutdown();
        }, "neo4j-shutdown"));
        System.out.println(READY + ", Bolt on 127.0.0.1:" + boltPort);
    }
}
