package org.p2pchat.install;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * The plug-in features of this client's installation: what update sites offer, what is installed,
 * and installing, updating and removing features. Changes are made to the installation's p2
 * profile ({@code DefaultProfile} in the installation's {@code p2/} folder, the one
 * {@code p2pchat install|uninstall|list} change), so they take effect when the client next starts.
 * Every method may block (it reads sites and writes the installation): call it off the UI thread.
 * The monitor may be {@code null}.
 */
public interface PluginInstallation {

    /** Where this client is installed. */
    Path installFolder();

    /**
     * Turns what a person typed or picked into a site location: an http(s): or file: URL, a folder
     * or a {@code .zip} of a site.
     *
     * @throws InstallException when it is neither a URL nor an existing folder or zip
     */
    URI siteLocation(String typed) throws InstallException;

    /**
     * Reads an update site's categories and features; the site is remembered for
     * {@link #availableUpdates}.
     *
     * @throws InstallException when the site cannot be reached or is no update site
     */
    UpdateSite readSite(URI site, IProgressMonitor monitor) throws InstallException;

    /** The optional features installed (not the client itself), by name. */
    List<PluginFeature> installed();

    /**
     * Installs features of a site, by id; one installed in another version is replaced by the
     * site's.
     *
     * @throws InstallException when nothing is given, or they cannot be installed (the message says what is missing)
     */
    void install(URI site, List<String> featureIds, IProgressMonitor monitor) throws InstallException;

    /** Removes installed features, by id. */
    void uninstall(List<String> featureIds, IProgressMonitor monitor) throws InstallException;

    /** Newer versions of installed features on the sites read before (sites that cannot be reached are skipped). */
    List<AvailableUpdate> availableUpdates(IProgressMonitor monitor) throws InstallException;

    /** Updates installed features, by id, to the newest version on the sites read before. */
    void update(List<String> featureIds, IProgressMonitor monitor) throws InstallException;
}
