package org.p2pchat.ui.settings.tests;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.ui.di.Persist;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.ui.settings.SettingsPages;

/**
 * A settings page of a plug-in this bundle stands for: contributed by this bundle's
 * fragment.e4xmi, it keeps one text in its section {@value #SECTION}.
 */
public class ContributedTestPage {

    static final String SECTION = "test-plugin";
    /** How many pages were disposed ({@code @PreDestroy}), for the test of the page's life. */
    static final AtomicInteger DISPOSED = new AtomicInteger();

    /** The plug-in's settings record. */
    record TestPluginSettings(String greeting) {
        static TestPluginSettings defaults() {
            return new TestPluginSettings("hello");
        }
    }

    @Inject
    SettingsStore store;
    private Text greeting;

    @PostConstruct
    void create(Composite parent) {
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(10, 10).applyTo(page);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(page);
        new Label(page, SWT.NONE).setText("&Greeting:");
        greeting = new Text(page, SWT.BORDER | SWT.SINGLE);
        greeting.setData(SettingsPages.WIDGET_ID, "test-plugin.greeting");
        greeting.setText(store.section(SECTION).read(TestPluginSettings.class, TestPluginSettings::defaults).greeting());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(greeting);
    }

    @Persist
    void save() throws IOException {
        if (greeting.getText().isBlank()) {
            throw new IllegalArgumentException("the greeting must not be empty");
        }
        store.section(SECTION).write(new TestPluginSettings(greeting.getText()));
    }

    @PreDestroy
    void dispose() {
        DISPOSED.incrementAndGet();
    }
}
