package org.p2pchat.install.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.ProvisioningContext;
import org.eclipse.equinox.p2.engine.query.UserVisibleRootQuery;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.operations.InstallOperation;
import org.eclipse.equinox.p2.operations.ProfileChangeOperation;
import org.eclipse.equinox.p2.operations.ProvisioningJob;
import org.eclipse.equinox.p2.operations.ProvisioningSession;
import org.eclipse.equinox.p2.operations.UninstallOperation;
import org.eclipse.equinox.p2.operations.Update;
import org.eclipse.equinox.p2.operations.UpdateOperation;
import org.eclipse.equinox.p2.query.IQueryResult;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.equinox.p2.repository.IRepositoryManager;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepositoryManager;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.install.AvailableUpdate;
import org.p2pchat.install.InstallException;
import org.p2pchat.install.PluginFeature;
import org.p2pchat.install.PluginInstallation;
import org.p2pchat.install.SiteCategory;
import org.p2pchat.install.UpdateSite;

/**
 * {@link PluginInstallation} on p2's operations API. It works on the installation's own p2 data
 * area ({@code p2/} in the installation) and profile, as {@code p2pchat install} does (the p2
 * director of the shell command is started with {@code -destination INSTALL -profile
 * DefaultProfile}), not on the running client's own p2 area (kept per profile in its Equinox
 * cache): so the shell and the dialogs see and change the same installed features.
 */
@Component(service = PluginInstallation.class)
public class P2PluginInstallation implements PluginInstallation {

    static final String PROFILE = "DefaultProfile";
    static final String FEATURE_GROUP = ".feature.group";

    private static final System.Logger LOG = System.getLogger(P2PluginInstallation.class.getName());

    private final IProvisioningAgentProvider agents;
    private final Path installFolder;
    private IProvisioningAgent agent;

    @Activate
    public P2PluginInstallation(@Reference IProvisioningAgentProvider agents, BundleContext context) {
        this(agents, installFolder(context.getProperty("osgi.install.area")));
    }

    public P2PluginInstallation(IProvisioningAgentProvider agents, Path installFolder) {
        this.agents = agents;
        this.installFolder = installFolder;
    }

    @Deactivate
    synchronized void deactivate() {
        if (agent != null) {
            agent.stop();
            agent = null;
        }
    }

    @Override
    public Path installFolder() {
        return installFolder;
    }

    @Override
    public URI siteLocation(String typed) throws InstallException {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty()) {
            throw new InstallException("Enter an update site: an http(s) address, or pick a folder or a .zip.");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")
                || lower.startsWith("jar:")) {
            try {
                URI uri = new URI(text);
                if (lower.startsWith("file:") && Path.of(uri).getFileName() != null
                        && lower.endsWith(".zip")) {
                    return zipSite(Path.of(uri));
                }
                return uri;
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new InstallException("\"" + text + "\" is not a valid address: " + e.getMessage(), e);
            }
        }
        Path path;
        try {
            path = Path.of(text.startsWith("~/") ? System.getProperty("user.home") + text.substring(1) : text)
                    .toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new InstallException("\"" + text + "\" is neither an address nor a folder or .zip.", e);
        }
        if (Files.isDirectory(path)) {
            return path.toUri();
        }
        if (Files.isRegularFile(path) && lower.endsWith(".zip")) {
            return zipSite(path);
        }
        throw new InstallException("There is no folder or .zip at " + path
                + ". An update site is an http(s) address, a folder or a .zip of one.");
    }

    private static URI zipSite(Path zip) {
        return URI.create("jar:" + zip.toAbsolutePath().toUri() + "!/");
    }

    @Override
    public UpdateSite readSite(URI site, IProgressMonitor monitor) throws InstallException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + site, 3);
        IMetadataRepository repository = loadSite(site, progress.split(2));
        artifactManager().addRepository(site);
        Map<String, IInstallableUnit> uncategorized = new LinkedHashMap<>();
        for (IInstallableUnit group : repository.query(QueryUtil.createLatestQuery(QueryUtil.createIUGroupQuery()),
                progress.split(1))) {
            if (group.getId().endsWith(FEATURE_GROUP)) {
                uncategorized.put(group.getId(), group);
            }
        }
        List<SiteCategory> categories = new ArrayList<>();
        for (IInstallableUnit category : repository.query(QueryUtil.createIUCategoryQuery(), null)) {
            List<PluginFeature> features = new ArrayList<>();
            for (IInstallableUnit member : repository.query(QueryUtil.createIUCategoryMemberQuery(category), null)) {
                IInstallableUnit latest = uncategorized.containsKey(member.getId()) ? uncategorized.get(member.getId())
                        : member;
                if (latest.getId().endsWith(FEATURE_GROUP)
                        && features.stream().noneMatch(f -> f.id().equals(featureId(latest)))) {
                    features.add(feature(latest));
                }
            }
            features.forEach(f -> uncategorized.remove(f.id() + FEATURE_GROUP));
            if (!features.isEmpty()) {
                features.sort(Comparator.comparing(PluginFeature::name, String.CASE_INSENSITIVE_ORDER));
                categories.add(new SiteCategory(name(category), text(category, IInstallableUnit.PROP_DESCRIPTION),
                        features));
            }
        }
        categories.sort(Comparator.comparing(SiteCategory::name, String.CASE_INSENSITIVE_ORDER));
        // As in Eclipse's own dialog, a site with categories offers what they hold; the features in
        // none are parts of others (such as the client's core). A site without categories offers all.
        if (categories.isEmpty() && !uncategorized.isEmpty()) {
            categories.add(new SiteCategory("Other", "Features in no category",
                    uncategorized.values().stream().map(P2PluginInstallation::feature)
                            .sorted(Comparator.comparing(PluginFeature::name, String.CASE_INSENSITIVE_ORDER)).toList()));
        }
        return new UpdateSite(site, categories);
    }

    private IMetadataRepository loadSite(URI site, IProgressMonitor monitor) throws InstallException {
        if ("file".equals(site.getScheme())) {
            Path folder;
            try {
                folder = Path.of(site);
            } catch (IllegalArgumentException e) {
                throw new InstallException("\"" + site + "\" is not a file address.", e);
            }
            if (!Files.isDirectory(folder)) {
                throw new InstallException("There is no folder " + folder + ".");
            }
        }
        boolean known = metadataManager().contains(site);
        try {
            return metadataManager().loadRepository(site, monitor);
        } catch (ProvisionException e) {
            LOG.log(Level.INFO, "Cannot read the update site " + site + ": " + e.getMessage());
            forget(site, known);
            throw new InstallException(siteProblem(site, e), e);
        } catch (RuntimeException e) { // a malformed site, a zip that is none
            LOG.log(Level.INFO, "Cannot read the update site " + site, e);
            forget(site, known);
            throw new InstallException("Cannot read the update site " + display(site) + ": " + e.getMessage(), e);
        }
    }

    /** A site that could not be read is not kept among those asked for updates, unless it was before. */
    private void forget(URI site, boolean known) {
        if (!known) {
            metadataManager().removeRepository(site);
            artifactManager().removeRepository(site);
        }
    }

    /** Why a site cannot be read, in words a person can act on. */
    private static String siteProblem(URI site, ProvisionException e) {
        boolean local = "file".equals(site.getScheme()) || "jar".equals(site.getScheme());
        int code = e.getStatus().getCode();
        if (code == ProvisionException.REPOSITORY_NOT_FOUND && local) {
            return display(site) + " is not an update site: it has no content.jar, content.xml or compositeContent.jar. "
                    + "Pick the folder (or .zip) that holds them.";
        }
        if (code == ProvisionException.REPOSITORY_NOT_FOUND || code == ProvisionException.REPOSITORY_FAILED_READ) {
            return "Cannot reach an update site at " + display(site)
                    + ". Check the address and your network connection. (" + e.getMessage() + ")";
        }
        return "Cannot read the update site " + display(site) + ": " + e.getMessage();
    }

    private static String display(URI site) {
        if ("file".equals(site.getScheme())) {
            try {
                return Path.of(site).toString();
            } catch (IllegalArgumentException e) {
                return site.toString();
            }
        }
        return site.toString();
    }

    @Override
    public List<PluginFeature> installed() {
        IProfile profile = profile();
        if (profile == null) {
            return List.of();
        }
        List<PluginFeature> features = new ArrayList<>();
        for (IInstallableUnit root : profile.query(new UserVisibleRootQuery(), null)) {
            if (root.getId().endsWith(FEATURE_GROUP)) {
                features.add(feature(root));
            }
        }
        features.sort(Comparator.comparing(PluginFeature::name, String.CASE_INSENSITIVE_ORDER));
        return features;
    }

    @Override
    public void install(URI site, List<String> featureIds, IProgressMonitor monitor) throws InstallException {
        if (featureIds.isEmpty()) {
            throw new InstallException("Select at least one feature to install.");
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Installing", 10);
        IMetadataRepository repository = loadSite(site, progress.split(1));
        List<IInstallableUnit> units = new ArrayList<>();
        for (String id : featureIds) {
            IQueryResult<IInstallableUnit> found = repository
                    .query(QueryUtil.createLatestQuery(QueryUtil.createIUQuery(id + FEATURE_GROUP)), null);
            if (found.isEmpty()) {
                throw new InstallException("The site " + display(site) + " has no feature " + id + ".");
            }
            units.add(found.iterator().next());
        }
        Set<String> sameVersion = new HashSet<>();
        for (PluginFeature installed : installed()) {
            for (IInstallableUnit unit : units) {
                if (unit.getId().equals(installed.id() + FEATURE_GROUP)
                        && unit.getVersion().toString().equals(installed.version())) {
                    sameVersion.add(installed.name() + " " + installed.version());
                }
            }
        }
        if (sameVersion.size() == units.size()) {
            throw new InstallException(String.join(", ", sameVersion) + (sameVersion.size() == 1 ? " is" : " are")
                    + " already installed.");
        }
        InstallOperation operation = new InstallOperation(session(), units);
        run(operation, context(site), "install " + names(units), progress.split(9));
    }

    @Override
    public void uninstall(List<String> featureIds, IProgressMonitor monitor) throws InstallException {
        if (featureIds.isEmpty()) {
            throw new InstallException("Select at least one installed plug-in to uninstall.");
        }
        List<IInstallableUnit> units = installedUnits(featureIds);
        UninstallOperation operation = new UninstallOperation(session(), units);
        run(operation, new ProvisioningContext(agent()), "uninstall " + names(units), monitor);
    }

    @Override
    public List<AvailableUpdate> availableUpdates(IProgressMonitor monitor) throws InstallException {
        List<IInstallableUnit> roots = new ArrayList<>();
        IProfile profile = profile();
        if (profile == null) {
            return List.of();
        }
        for (IInstallableUnit root : profile.query(new UserVisibleRootQuery(), null)) {
            if (root.getId().endsWith(FEATURE_GROUP)) {
                roots.add(root);
            }
        }
        URI[] sites = knownSites();
        if (roots.isEmpty() || sites.length == 0) {
            return List.of();
        }
        UpdateOperation operation = new UpdateOperation(session(), roots);
        operation.setProfileId(PROFILE);
        operation.setProvisioningContext(context(sites));
        operation.resolveModal(SubMonitor.convert(monitor)); // p2 needs a monitor there
        List<AvailableUpdate> updates = new ArrayList<>();
        for (Update update : operation.getPossibleUpdates()) {
            if (update.replacement.getVersion().compareTo(update.toUpdate.getVersion()) > 0
                    && updates.stream().noneMatch(u -> u.installed().id().equals(featureId(update.toUpdate)))) {
                updates.add(new AvailableUpdate(feature(update.toUpdate), feature(newest(operation, update))));
            }
        }
        return updates;
    }

    private static IInstallableUnit newest(UpdateOperation operation, Update update) {
        IInstallableUnit newest = update.replacement;
        for (Update other : operation.getPossibleUpdates()) {
            if (other.toUpdate.equals(update.toUpdate) && other.replacement.getVersion().compareTo(newest.getVersion()) > 0) {
                newest = other.replacement;
            }
        }
        return newest;
    }

    @Override
    public void update(List<String> featureIds, IProgressMonitor monitor) throws InstallException {
        if (featureIds.isEmpty()) {
            throw new InstallException("Select at least one installed plug-in to update.");
        }
        List<IInstallableUnit> units = installedUnits(featureIds);
        UpdateOperation operation = new UpdateOperation(session(), units);
        run(operation, context(knownSites()), "update " + names(units), monitor);
    }

    /** Resolves the operation against the sites of {@code context} and runs it, or says why it cannot be done. */
    private void run(ProfileChangeOperation operation, ProvisioningContext context, String what, IProgressMonitor monitor)
            throws InstallException {
        requireWritableInstallation(what);
        SubMonitor progress = SubMonitor.convert(monitor, 10); // also when null: p2 needs one
        operation.setProfileId(PROFILE);
        operation.setProvisioningContext(context);
        IStatus resolution = operation.resolveModal(progress.split(3));
        if (resolution.getSeverity() == IStatus.ERROR || resolution.getSeverity() == IStatus.CANCEL) {
            String details = operation.getResolutionDetails();
            LOG.log(Level.INFO, "Cannot " + what + ": " + resolution + "\n" + details);
            throw new InstallException("Cannot " + what + ". " + explanation(resolution, details));
        }
        ProvisioningJob job = operation.getProvisioningJob(progress.split(1));
        if (job == null) {
            throw new InstallException("Nothing to do: " + explanation(resolution, operation.getResolutionDetails()));
        }
        IStatus done = job.runModal(progress.split(6));
        if (done.getSeverity() == IStatus.ERROR || done.getSeverity() == IStatus.CANCEL) {
            LOG.log(Level.WARNING, "Cannot " + what + ": " + done, done.getException());
            throw new InstallException("Could not " + what + ": " + message(done), done.getException());
        }
        LOG.log(Level.INFO, "Done: " + what);
    }

    private void requireWritableInstallation(String what) throws InstallException {
        Path p2 = installFolder.resolve("p2");
        if (!Files.isWritable(installFolder) || !Files.isWritable(p2)) {
            throw new InstallException("Cannot " + what + ": " + installFolder
                    + " cannot be written by you. Ask whoever installed P2P Chat, or install it in a folder of your own.");
        }
    }

    /** A resolution's message with the planner's explanation (what is missing), without repeating itself. */
    private static String explanation(IStatus status, String details) {
        String message = message(status);
        if (details != null && !details.isBlank() && !details.strip().equals(message)) {
            return message + "\n" + details.strip();
        }
        return message;
    }

    private static String message(IStatus status) {
        StringBuilder text = new StringBuilder(status.getMessage());
        for (IStatus child : status.getChildren()) {
            if (child.getSeverity() >= IStatus.WARNING && !text.toString().contains(child.getMessage())) {
                text.append('\n').append(message(child));
            }
        }
        return text.toString().strip();
    }

    private List<IInstallableUnit> installedUnits(List<String> featureIds) throws InstallException {
        IProfile profile = profile();
        List<IInstallableUnit> units = new ArrayList<>();
        for (String id : featureIds) {
            IQueryResult<IInstallableUnit> found = profile == null ? null
                    : profile.query(QueryUtil.createIUQuery(id + FEATURE_GROUP), null);
            if (found == null || found.isEmpty()) {
                throw new InstallException(id + " is not installed.");
            }
            units.addAll(found.toUnmodifiableSet());
        }
        return units;
    }

    private URI[] knownSites() {
        return metadataManager().getKnownRepositories(IRepositoryManager.REPOSITORIES_NON_SYSTEM);
    }

    private ProvisioningContext context(URI... sites) {
        ProvisioningContext context = new ProvisioningContext(agent());
        context.setMetadataRepositories(sites);
        context.setArtifactRepositories(sites);
        return context;
    }

    private static String names(Collection<IInstallableUnit> units) {
        return String.join(", ", units.stream().map(u -> name(u) + " " + u.getVersion()).toList());
    }

    static PluginFeature feature(IInstallableUnit unit) {
        return new PluginFeature(featureId(unit), unit.getVersion().toString(), name(unit),
                text(unit, IInstallableUnit.PROP_DESCRIPTION));
    }

    private static String featureId(IInstallableUnit unit) {
        String id = unit.getId();
        return id.endsWith(FEATURE_GROUP) ? id.substring(0, id.length() - FEATURE_GROUP.length()) : id;
    }

    private static String name(IInstallableUnit unit) {
        String name = text(unit, IInstallableUnit.PROP_NAME);
        return name.isEmpty() ? featureId(unit) : name;
    }

    private static String text(IInstallableUnit unit, String key) {
        String value = unit.getProperty(key, null);
        return value == null ? "" : value.strip();
    }

    private IProfile profile() {
        IProfileRegistry registry = agent().getService(IProfileRegistry.class);
        return registry == null ? null : registry.getProfile(PROFILE);
    }

    private ProvisioningSession session() {
        return new ProvisioningSession(agent());
    }

    private IMetadataRepositoryManager metadataManager() {
        return agent().getService(IMetadataRepositoryManager.class);
    }

    private IArtifactRepositoryManager artifactManager() {
        return agent().getService(IArtifactRepositoryManager.class);
    }

    /** The agent on the installation's p2 data area, made at first use. */
    private synchronized IProvisioningAgent agent() {
        if (agent == null) {
            try {
                agent = agents.createAgent(installFolder.resolve("p2").toUri());
            } catch (ProvisionException e) {
                throw new IllegalStateException("Cannot open the p2 data of " + installFolder + ": " + e.getMessage(), e);
            }
        }
        return agent;
    }

    /** The installation folder from Equinox's install area (a file: URL, maybe not encoded). */
    static Path installFolder(String installArea) {
        return EquinoxAreas.folder("osgi.install.area", installArea);
    }

}
