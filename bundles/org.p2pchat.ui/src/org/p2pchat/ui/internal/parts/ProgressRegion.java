package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.IJobManager;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.jobs.ProgressProvider;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

/**
 * The window's progress area (a tool control in the bottom trim): the name and progress of the
 * running Eclipse jobs that are not system jobs, so long work (health checks, creating an offer,
 * preparing files) is visible without blocking anything. The pure E4 workbench has no progress
 * area of its own; this one reads the job manager, with a progress provider so a job's
 * {@code beginTask}/{@code worked} calls move the bar.
 */
public final class ProgressRegion {

    private final IJobManager jobManager = Job.getJobManager();
    /** Running visible jobs in start order, with their monitors; guarded by itself. */
    private final Map<Job, JobMonitor> running = new LinkedHashMap<>();
    private final IJobChangeListener jobListener = new JobChangeAdapter() {
        @Override
        public void running(IJobChangeEvent event) {
            if (!event.getJob().isSystem()) {
                synchronized (running) {
                    running.computeIfAbsent(event.getJob(), job -> new JobMonitor());
                }
                refreshLater();
            }
        }

        @Override
        public void done(IJobChangeEvent event) {
            boolean removed;
            synchronized (running) {
                removed = running.remove(event.getJob()) != null;
            }
            if (removed) {
                refreshLater();
            }
        }
    };
    private final ProgressProvider progressProvider = new ProgressProvider() {
        @Override
        public IProgressMonitor createMonitor(Job job) {
            if (job.isSystem()) {
                return new NullProgressMonitor();
            }
            synchronized (running) {
                return running.computeIfAbsent(job, j -> new JobMonitor());
            }
        }
    };

    private Composite area;
    private Label label;
    private ProgressBar determinate;
    private ProgressBar indeterminate;
    private volatile boolean refreshQueued;

    @PostConstruct
    public void create(Composite parent) {
        area = Ui.tag(new Composite(parent, SWT.NONE), "progress.area");
        GridLayoutFactory.fillDefaults().numColumns(3).margins(6, 2).applyTo(area);
        label = Ui.tag(new Label(area, SWT.NONE), "progress.label");
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(280, SWT.DEFAULT).applyTo(label);
        determinate = Ui.tag(new ProgressBar(area, SWT.HORIZONTAL | SWT.SMOOTH), "progress.bar");
        GridDataFactory.swtDefaults().hint(140, 14).applyTo(determinate);
        indeterminate = Ui.tag(new ProgressBar(area, SWT.HORIZONTAL | SWT.INDETERMINATE), "progress.busy");
        GridDataFactory.swtDefaults().hint(140, 14).applyTo(indeterminate);
        jobManager.setProgressProvider(progressProvider);
        jobManager.addJobChangeListener(jobListener);
        for (Job job : jobManager.find(null)) {
            if (job.getState() == Job.RUNNING && !job.isSystem()) {
                synchronized (running) {
                    running.computeIfAbsent(job, j -> new JobMonitor());
                }
            }
        }
        refresh();
    }

    @PreDestroy
    public void dispose() {
        jobManager.removeJobChangeListener(jobListener);
        jobManager.setProgressProvider(null);
    }

    private void refreshLater() {
        if (!refreshQueued) {
            refreshQueued = true;
            Ui.async(area, () -> {
                refreshQueued = false;
                refresh();
            });
        }
    }

    private void refresh() {
        List<Map.Entry<Job, JobMonitor>> jobs;
        synchronized (running) {
            jobs = new ArrayList<>(running.entrySet());
        }
        if (jobs.isEmpty()) {
            label.setText("");
            label.setToolTipText(null);
            Ui.show(determinate, false);
            Ui.show(indeterminate, false);
        } else {
            Job first = jobs.get(0).getKey();
            JobMonitor monitor = jobs.get(0).getValue();
            String text = monitor.describe(first.getName());
            if (jobs.size() > 1) {
                text += "  (+" + (jobs.size() - 1) + " more)";
            }
            label.setText(text);
            label.setToolTipText(jobs.stream().map(e -> e.getValue().describe(e.getKey().getName()))
                    .reduce((a, b) -> a + "\n" + b).orElse(null));
            int percent = monitor.percent();
            Ui.show(determinate, percent >= 0);
            Ui.show(indeterminate, percent < 0);
            if (percent >= 0) {
                determinate.setSelection(percent);
            }
        }
        area.getParent().layout(true, true);
    }

    /** The text the area shows now; empty when nothing runs. */
    public String shownText() {
        return label.getText();
    }

    /** What a running job has told its monitor; read by the UI thread, written by the job's. */
    private final class JobMonitor extends NullProgressMonitor {
        private volatile String task = "";
        private volatile String subTask = "";
        private volatile double total = IProgressMonitor.UNKNOWN;
        private volatile double worked;

        @Override
        public void beginTask(String name, int totalWork) {
            task = name == null ? "" : name;
            total = totalWork;
            worked = 0;
            refreshLater();
        }

        @Override
        public void setTaskName(String name) {
            task = name == null ? "" : name;
            refreshLater();
        }

        @Override
        public void subTask(String name) {
            subTask = name == null ? "" : name;
            refreshLater();
        }

        @Override
        public void internalWorked(double work) {
            worked += work;
            refreshLater();
        }

        @Override
        public void worked(int work) {
            internalWorked(work);
        }

        String describe(String jobName) {
            String name = task.isBlank() ? jobName : task;
            return subTask.isBlank() ? name : name + ": " + subTask;
        }

        /** 0–100, or -1 while the job cannot say how far it is. */
        int percent() {
            return total <= 0 ? -1 : (int) Math.min(100, Math.round(worked * 100 / total));
        }
    }
}
