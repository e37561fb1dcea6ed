package org.p2pchat.install.ui.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.p2pchat.install.PluginInstallation;

/** Whether the installation service is there, asked without making it. */
final class InstallationService {

    private InstallationService() {
    }

    /**
     * Whether {@link PluginInstallation} is registered. The menu asks at every enablement check,
     * the first while the window is drawn: getting the service would load p2 then, for a menu item
     * nobody has chosen yet.
     */
    static boolean registered() {
        Bundle bundle = FrameworkUtil.getBundle(InstallationService.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        return context != null && context.getServiceReference(PluginInstallation.class) != null;
    }
}
