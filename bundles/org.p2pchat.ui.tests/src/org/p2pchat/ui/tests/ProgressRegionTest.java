package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.ProgressBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.ui.internal.parts.ProgressRegion;

/** The window's progress area follows real Eclipse jobs: name, amount done, several at once, gone when done. */
class ProgressRegionTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    private PartHarness harness;
    private ProgressRegion region;

    @BeforeEach
    void open() {
        harness = new PartHarness("ProgressRegionTest");
        region = harness.make(ProgressRegion.class, 600, 40);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void showsARunningJobWithItsProgressAndClearsWhenItEnds() throws Exception {
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Job job = Job.create("Checking turn:192.0.2.1:3478", monitor -> {
            monitor.beginTask("Checking turn:192.0.2.1:3478", 10);
            monitor.worked(5);
            halfway.countDown();
            await(finish);
            monitor.done();
            return Status.OK_STATUS;
        });
        job.schedule();
        assertTrue(halfway.await(SECONDS, TimeUnit.SECONDS));
        harness.waitUntil(() -> region.shownText().startsWith("Checking turn:192.0.2.1:3478"), SECONDS,
                "the running job's name is shown");
        ProgressBar bar = harness.byId(ProgressBar.class, "progress.bar");
        harness.waitUntil(() -> bar.isVisible() && bar.getSelection() == 50, SECONDS, "the bar shows half done");

        finish.countDown();
        job.join(SECONDS * 1000, null);
        harness.waitUntil(() -> region.shownText().isEmpty(), SECONDS, "the area is empty once the job is done");
        assertTrue(!bar.isVisible(), "no bar without work");
    }

    @Test
    void countsOtherJobsAndShowsWorkOfUnknownLengthAsBusy() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        Job first = Job.create("Creating the offer", monitor -> {
            monitor.beginTask("Creating the offer", IProgressMonitor.UNKNOWN);
            await(finish);
            return Status.OK_STATUS;
        });
        Job second = Job.create("Checking the rendezvous service", monitor -> {
            await(finish);
            return Status.OK_STATUS;
        });
        Job hidden = Job.create("system bookkeeping", monitor -> {
            await(finish);
            return Status.OK_STATUS;
        });
        hidden.setSystem(true);
        first.schedule();
        harness.waitUntil(() -> region.shownText().equals("Creating the offer"), SECONDS, "the first job is shown");
        second.schedule();
        hidden.schedule();
        harness.waitUntil(() -> region.shownText().equals("Creating the offer  (+1 more)"), SECONDS,
                "a second visible job is counted, the system job is not");
        assertTrue(harness.byId(ProgressBar.class, "progress.busy").isVisible(), "unknown length shows a busy bar");

        finish.countDown();
        for (Job job : new Job[] {first, second, hidden}) {
            job.join(SECONDS * 1000, null);
        }
        harness.waitUntil(() -> region.shownText().isEmpty(), SECONDS, "empty again");
        assertEquals("", region.shownText());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
