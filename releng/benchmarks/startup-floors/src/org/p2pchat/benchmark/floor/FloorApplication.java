package org.p2pchat.benchmark.floor;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/** The floor window as Equinox's application, in place of the E4 workbench. */
public class FloorApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        context.applicationRunning();
        FloorWindow.run();
        return EXIT_OK;
    }

    @Override
    public void stop() {
        // run() returns when its window closes
    }
}
