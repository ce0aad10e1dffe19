/*
 * Starts DynamoDB Local listening on 127.0.0.1 only, and ends it when the
 * process that started it goes away. Run from local/dynamodb.ts with Java's
 * single-file source launcher:
 *
 *   java -Djava.library.path=<DynamoDBLocal_lib> -cp <DynamoDBLocal.jar> \
 *     DynamoDbLocalLoopback.java <port> <DynamoDB Local options...>
 *
 * Why it exists: DynamoDB Local's own command line has no host option; its
 * Jetty server listens on every interface, which would expose a development
 * database (holding test requests' personal data, accepting any credentials)
 * to the local network. DynamoDB Local builds but does not start its Jetty
 * server in createServerFromCommandLineArgs, so this launcher sets the
 * connector's host (and port; 0 picks a free one, which DynamoDB Local's
 * -port option rejects) before starting it, then reports the bound port on
 * stdout as "DYNAMODB_LOCAL_LISTENING <port>".
 *
 * When stdin reaches end-of-file (the parent closed it, or died, even by
 * SIGKILL) the JVM exits, so a killed `npm start` never leaves it behind.
 */
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Arrays;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class DynamoDbLocalLoopback {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String[] options = Arrays.copyOfRange(args, 1, args.length);
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(options);

    Field serverField = DynamoDBProxyServer.class.getDeclaredField("server");
    serverField.setAccessible(true);
    Server server = (Server) serverField.get(proxy);
    ServerConnector connector = (ServerConnector) server.getConnectors()[0];
    connector.setHost("127.0.0.1");
    connector.setPort(port);

    proxy.start();
    System.out.println("DYNAMODB_LOCAL_LISTENING " + connector.getLocalPort());
    System.out.flush();

    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // The parent never writes; anything read is ignored.
        }
      } catch (IOException closed) {
        // A broken pipe means the parent is gone, the same as end-of-file.
      }
      System.exit(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
