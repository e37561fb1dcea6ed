package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The file service's one engine thread, where every transfer changes and listeners are told
 * (libwebrtc's and Bt's threads only hand work to it), and the workers for slow work (hashing,
 * connecting, checking pieces).
 */
final class EngineThread implements Executor {

    private static final System.Logger LOG = System.getLogger(EngineThread.class.getName());

    private static final long CALL_TIMEOUT_SECONDS = 60;

    private final ScheduledExecutorService engine;
    private final ExecutorService workers;
    private volatile Thread thread;
    private volatile boolean closed;

    EngineThread() {
        engine = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pchat-files");
            t.setDaemon(true);
            thread = t;
            return t;
        });
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "p2pchat-files-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the engine later; nothing once closed. A task's failure is logged. */
    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        try {
            engine.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "a file transfer task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Runs {@code task} on the engine and waits for its result (at once if on the engine already). */
    <T> T call(Callable<T> task) throws IOException {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        if (closed) {
            throw new IOException("file transfer has shut down");
        }
        Future<T> f = engine.submit(task);
        try {
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("file transfer is not responding");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Like {@link #call}, for a task without a result; a failure to get through is an IllegalStateException. */
    void run(Runnable task) {
        try {
            call(() -> {
                task.run();
                return null;
            });
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return engine.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    void every(Runnable task, long periodMs) {
        engine.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    Executor workers() {
        return workers;
    }

    void shutdown() {
        closed = true;
        engine.shutdownNow();
        workers.shutdownNow();
    }
}
