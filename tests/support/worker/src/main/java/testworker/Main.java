package testworker;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import tech.powerjob.common.enums.Protocol;
import tech.powerjob.worker.PowerJobWorker;
import tech.powerjob.worker.common.PowerJobWorkerConfig;
import tech.powerjob.worker.common.constants.StoreStrategy;

/**
 * Starts one worker and keeps it until the process is told to end (SIGTERM).
 *
 * <p>Arguments: app name, server address (host:port of the server's HTTP port), worker port.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: testworker.Main APP_NAME SERVER_HOST:PORT WORKER_PORT");
            System.exit(2);
        }
        PowerJobWorkerConfig config = new PowerJobWorkerConfig();
        config.setAppName(args[0]);
        config.setServerAddress(List.of(args[1]));
        config.setPort(Integer.parseInt(args[2]));
        config.setProtocol(Protocol.HTTP); // the test server opens only its HTTP transport
        config.setStoreStrategy(StoreStrategy.MEMORY); // nothing left on disk
        config.setHealthReportInterval(2); // seconds: the server learns of the worker sooner

        PowerJobWorker worker = new PowerJobWorker(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                worker.destroy();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        worker.init();
        System.out.println("test worker started for app " + args[0] + " on port " + args[2]);
        System.out.flush();
        stopped.await();
    }
}
