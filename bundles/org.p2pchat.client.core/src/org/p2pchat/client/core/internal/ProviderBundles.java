package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.core.signaling.ConnectionProvider;

/**
 * Finds the connection provider plug-ins that are installed but give no method, from the
 * framework's own information, and says when that list changes (a plug-in installed, removed,
 * started, or its component failed).
 * <p>
 * The rule: a bundle is a provider plug-in if its manifest declares the capability
 * {@value #NAMESPACE} ({@code Provide-Capability: org.p2pchat.provider;org.p2pchat.provider=ID;name="Name"},
 * the method's id and name), which the framework reads without resolving the bundle; or if a
 * component of a running bundle declares the service {@link ConnectionProvider}. Such a bundle
 * is broken when it is not resolved (the requirements no installed plug-in provides are named),
 * resolved but not started, or when its provider component is not active for a reason SCR
 * reports: its activation failed (SCR's {@code failure}) or a reference it needs has no service.
 */
final class ProviderBundles implements BundleListener, ServiceListener {

    /** The capability every provider plug-in declares in its manifest. */
    static final String NAMESPACE = "org.p2pchat.provider";
    /** The capability's attribute with the method's name for a person. */
    static final String NAME = "name";

    private static final System.Logger LOG = System.getLogger(ProviderBundles.class.getName());
    private static final String PROVIDER_SERVICE = ConnectionProvider.class.getName();
    private static final long COALESCE_MILLIS = 100;
    private static final Pattern NAMED = Pattern.compile("\\(([\\w.-]+)=([^)(]*)\\)");
    private static final Pattern AT_LEAST = Pattern.compile("\\((?:bundle-)?version>=([^)]*)\\)");
    private static final Pattern THROWN = Pattern.compile("(?:[a-z_$][\\w$]*\\.)*([A-Z][\\w$]*(?:Exception|Error)):(.*)");
    private static final Pattern BELOW = Pattern.compile("\\(!\\((?:bundle-)?version>=([^)]*)\\)\\)");

    private final BundleContext context;
    private final Consumer<List<BrokenProvider>> changed;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2pchat-provider-bundles");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile List<BrokenProvider> last = List.of();

    /** @param changed told the whole list whenever it changes, on a thread of its own */
    ProviderBundles(BundleContext context, Consumer<List<BrokenProvider>> changed) {
        this.context = context;
        this.changed = changed;
    }

    void open() {
        context.addBundleListener(this);
        try {
            // SCR changes its service's change count whenever a component's state changes.
            context.addServiceListener(this, "(|(objectClass=" + ServiceComponentRuntime.class.getName()
                    + ")(objectClass=" + PROVIDER_SERVICE + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        refreshLater();
    }

    void close() {
        try {
            context.removeBundleListener(this);
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the framework is stopping
        }
        refresher.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        refreshLater();
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        refreshLater();
    }

    /** The broken provider plug-ins now, asked of the framework afresh. */
    List<BrokenProvider> broken() {
        List<BrokenProvider> broken = new ArrayList<>();
        Bundle[] bundles;
        try {
            bundles = context.getBundles();
        } catch (IllegalStateException e) {
            return List.of(); // the framework is stopping
        }
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime runtime = reference == null ? null : context.getService(reference);
        try {
            // SCR is asked once for every provider component, not once per bundle.
            Map<Long, List<ComponentDescriptionDTO>> providerComponents = new HashMap<>();
            if (runtime != null) {
                for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
                    if (List.of(d.serviceInterfaces).contains(PROVIDER_SERVICE)) {
                        providerComponents.computeIfAbsent(d.bundle.id, id -> new ArrayList<>()).add(d);
                    }
                }
            }
            for (Bundle b : bundles) {
                try {
                    check(b, runtime, providerComponents.getOrDefault(b.getBundleId(), List.of()), broken);
                } catch (RuntimeException e) { // a bundle going away meanwhile, say: the others are still told
                    LOG.log(Level.DEBUG, "Could not check the plug-in " + b.getSymbolicName(), e);
                }
            }
        } finally {
            if (runtime != null) {
                context.ungetService(reference);
            }
        }
        return List.copyOf(broken);
    }

    private void refreshLater() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            // A burst of events (the framework starting its bundles, say) makes one refresh.
            refresher.schedule(() -> {
                queued.set(false);
                List<BrokenProvider> now = broken();
                List<BrokenProvider> before = last;
                if (!now.equals(before)) {
                    last = now;
                    now.stream().filter(p -> !before.contains(p)).forEach(p -> LOG.log(Level.WARNING, p.text()));
                    changed.accept(now);
                }
            }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            queued.set(false); // closed
        }
    }

    private void check(Bundle b, ServiceComponentRuntime runtime, List<ComponentDescriptionDTO> providerComponents,
            List<BrokenProvider> broken) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null || (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
            return;
        }
        List<BundleCapability> declared = revision.getDeclaredCapabilities(NAMESPACE);
        if (declared.isEmpty() && providerComponents.isEmpty()) {
            return; // no provider plug-in (most bundles: their headers are not read)
        }
        String methodId = declared.isEmpty() ? "" : String.valueOf(declared.get(0).getAttributes().getOrDefault(NAMESPACE, ""));
        Object name = declared.isEmpty() ? null : declared.get(0).getAttributes().get(NAME);
        String displayName = name != null ? name.toString() : b.getHeaders().get(Constants.BUNDLE_NAME);
        String version = b.getVersion().toString();
        switch (b.getState()) {
            case Bundle.INSTALLED -> {
                if (!declared.isEmpty()) {
                    String missing = missing(revision);
                    if (missing != null) {
                        broken.add(new BrokenProvider(b.getSymbolicName(), version, methodId, displayName,
                                BrokenProvider.Problem.NOT_RESOLVED, missing));
                    }
                }
            }
            case Bundle.RESOLVED -> {
                if (!declared.isEmpty() && !startsLater(b)) {
                    broken.add(new BrokenProvider(b.getSymbolicName(), version, methodId, displayName,
                            BrokenProvider.Problem.NOT_STARTED, "it is resolved but was not started, or it stopped"
                                    + " (its log may say why)"));
                }
            }
            case Bundle.STARTING, Bundle.ACTIVE -> {
                if (runtime != null) {
                    components(runtime, b, providerComponents, methodId, displayName, broken);
                }
            }
            default -> {
                // stopping or gone
            }
        }
    }

    /** Whether the bundle waits for a start level the framework has not reached yet. */
    private boolean startsLater(Bundle b) {
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        FrameworkStartLevel framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class);
        return level != null && framework != null && level.isPersistentlyStarted()
                && level.getStartLevel() > framework.getStartLevel();
    }

    /** The provider components of a running bundle that SCR could not make active. */
    private static void components(ServiceComponentRuntime runtime, Bundle b, List<ComponentDescriptionDTO> providers,
            String methodId, String displayName, List<BrokenProvider> broken) {
        for (ComponentDescriptionDTO d : providers) {
            if (!runtime.isComponentEnabled(d)) {
                continue; // a component disabled on purpose is not broken
            }
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                String reason = switch (c.state) {
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> "its activation failed: " + firstLine(c.failure);
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> unsatisfied(d, c);
                    default -> null;
                };
                if (reason != null) {
                    broken.add(new BrokenProvider(b.getSymbolicName(), b.getVersion().toString(), methodId,
                            displayName, BrokenProvider.Problem.FAILED, reason));
                }
            }
        }
    }

    private static String unsatisfied(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        List<String> needed = new ArrayList<>();
        for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
            String type = u.name;
            for (ReferenceDTO r : d.references) {
                if (r.name.equals(u.name)) {
                    type = r.interfaceName + (u.target == null || u.target.isEmpty() ? "" : " " + u.target);
                }
            }
            needed.add(type);
        }
        return "it needs a service that no installed plug-in provides: " + String.join(", ", needed);
    }

    private static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given (see the log)";
        }
        String line = failure.strip().lines().findFirst().orElse("");
        // "java.lang.IllegalStateException: why" reads "why (IllegalStateException)"
        Matcher thrown = THROWN.matcher(line);
        return thrown.matches() && !thrown.group(2).isBlank() ? thrown.group(2).strip() + " (" + thrown.group(1) + ")"
                : line;
    }

    /**
     * What the bundle requires that nothing installed provides (or only bundles that do not
     * resolve either), in words; null if it resolves after all.
     */
    private String missing(BundleRevision revision) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        List<String> missing = new ArrayList<>();
        for (Requirement r : revision.getRequirements(null)) {
            if (Namespace.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))
                    || !(r instanceof org.osgi.framework.wiring.BundleRequirement requirement)) {
                continue;
            }
            Collection<BundleCapability> providers = wiring.findProviders(requirement);
            List<String> unresolved = providers.stream().map(p -> p.getRevision().getBundle())
                    .filter(p -> p.getState() == Bundle.INSTALLED && !p.equals(revision.getBundle()))
                    .map(Bundle::getSymbolicName).distinct().toList();
            if (providers.isEmpty()) {
                missing.add(words(requirement) + ", which no installed plug-in provides");
            } else if (unresolved.size() == providers.size()) {
                missing.add(words(requirement) + ", which only " + String.join(", ", unresolved)
                        + " provides, and it cannot be loaded either");
            }
        }
        if (!missing.isEmpty()) {
            return "it needs " + String.join("; and ", missing);
        }
        // Everything it needs is there: just installed and not resolved yet, or a conflict between
        // what it needs. The framework tries now, as it would when the bundle starts.
        return wiring.resolveBundles(List.of(revision.getBundle())) ? null
                : "the framework could not resolve it (its log says why)";
    }

    /** A requirement as a person reads it: "the package org.example (version 1.0.0 or later, below 2.0.0)". */
    static String words(Requirement r) {
        String filter = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        String namespace = r.getNamespace();
        String what = switch (namespace) {
            case BundleRevision.PACKAGE_NAMESPACE -> "the package ";
            case BundleRevision.BUNDLE_NAMESPACE -> "the plug-in ";
            case "osgi.ee" -> "the Java version ";
            default -> "the capability " + namespace + " ";
        };
        String name = null;
        Matcher m = NAMED.matcher(filter);
        while (m.find()) {
            if (m.group(1).equals(namespace)) {
                name = m.group(2);
                break;
            }
        }
        if (name == null) {
            return what + filter;
        }
        List<String> range = new ArrayList<>();
        Matcher least = AT_LEAST.matcher(filter.replaceAll("\\(!\\((?:bundle-)?version>=[^)]*\\)\\)", ""));
        if (least.find()) {
            range.add(least.group(1) + " or later");
        }
        Matcher below = BELOW.matcher(filter);
        if (below.find()) {
            range.add("below " + below.group(1));
        }
        return what + name + (range.isEmpty() ? "" : " (version " + String.join(", ", range) + ")");
    }
}
