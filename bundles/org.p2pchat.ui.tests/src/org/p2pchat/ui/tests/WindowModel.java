package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.p2pchat.ui.internal.parts.ClientPart;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The desktop client's window model as the product ships it ({@code Application.e4xmi} of the
 * client bundle): which command a key binding or a menu item triggers, and its handler, run on a
 * client part the way the workbench runs it (injected, {@code @CanExecute} then {@code @Execute}).
 * <p>
 * The keys and the menu pressed on the real product are checked by {@link DesktopKeysEndToEndTest}
 * and {@link DesktopClientSmokeTest}; this follows the model from a key or a menu item to what the
 * handler does, over a scripted session, case by case.
 */
final class WindowModel {

    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    private static final String XMI = "http://www.omg.org/XMI";

    private final Bundle client = FrameworkUtil.getBundle(ClientPart.class);
    private final Document model;
    /** What the workbench gives handlers besides the part service (e.g. the workbench itself), by type. */
    final java.util.Map<Class<?>, Object> services = new java.util.LinkedHashMap<>();

    WindowModel() throws Exception {
        URL entry = client.getEntry("Application.e4xmi");
        assertNotNull(entry, "the client bundle ships Application.e4xmi");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try (InputStream in = entry.openStream()) {
            model = factory.newDocumentBuilder().parse(in);
        }
    }

    /**
     * The command bound to {@code keySequence} (E4 notation: M1 is Ctrl, M2 Shift on Linux) in the
     * main window's binding context.
     */
    String commandForKeys(String keySequence) {
        Element window = element("children", "elementId", "org.p2pchat.ui.window.main");
        for (Element table : elements("bindingTables")) {
            for (Element binding : children(table, "bindings")) {
                if (binding.getAttribute("keySequence").equals(keySequence)) {
                    assertTrue(List.of(window.getAttribute("bindingContexts").split(" ")).contains(table.getAttribute("bindingContext")),
                            keySequence + " is bound in a context the main window is in");
                    return binding.getAttribute("command");
                }
            }
        }
        throw new AssertionError("no binding for " + keySequence);
    }

    /** The parameters (name to value) the binding of {@code keySequence} gives its command. */
    java.util.Map<String, String> parametersForKeys(String keySequence) {
        java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (Element binding : elements("bindings")) {
            if (binding.getAttribute("keySequence").equals(keySequence)) {
                for (Element p : children(binding, "parameters")) {
                    parameters.put(p.getAttribute("name"), p.getAttribute("value"));
                }
            }
        }
        return parameters;
    }

    /** Runs the handler bound to {@code keySequence}, with the binding's parameters, as the workbench does. */
    void press(String keySequence, ClientPart part) throws Exception {
        String command = commandForKeys(keySequence);
        IEclipseContext context = context(part);
        parametersForKeys(keySequence).forEach(context::set);
        Object handler = handler(command, part);
        Object can = ContextInjectionFactory.invoke(handler, CanExecute.class, context, Boolean.TRUE);
        assertTrue(Boolean.TRUE.equals(can), commandName(command) + " (" + keySequence + ") is enabled");
        ContextInjectionFactory.invoke(handler, Execute.class, context);
    }

    /** The command of the item called {@code item} (mnemonics left out) in the main menu's {@code menu}. */
    String commandForMenuItem(String menu, String item) {
        for (Element m : elements("children")) {
            if ("menu:Menu".equals(m.getAttributeNS(XSI, "type")) && m.getAttribute("label").replace("&", "").equals(menu)) {
                for (Element i : children(m, "children")) {
                    if (i.getAttribute("label").replace("&", "").equals(item)) {
                        return i.getAttribute("command");
                    }
                }
            }
        }
        throw new AssertionError("no menu item " + menu + " > " + item);
    }

    /** The name the model gives {@code command}. */
    String commandName(String command) {
        return element("commands", "id", command).getAttribute("commandName");
    }

    /** Whether the handler of {@code command} may run now for {@code part} (what enables the key and the menu item). */
    boolean canExecute(String command, ClientPart part) throws Exception {
        Object handler = handler(command, part);
        Object can = ContextInjectionFactory.invoke(handler, CanExecute.class, context(part), Boolean.TRUE);
        return Boolean.TRUE.equals(can);
    }

    /** Runs the handler of {@code command} for {@code part} as the workbench does; fails if it is disabled. */
    void execute(String command, ClientPart part) throws Exception {
        assertTrue(canExecute(command, part), commandName(command) + " is enabled");
        ContextInjectionFactory.invoke(handler(command, part), Execute.class, context(part));
    }

    private Object handler(String command, ClientPart part) throws Exception {
        String uri = element("handlers", "command", command).getAttribute("contributionURI");
        String prefix = "bundleclass://" + client.getSymbolicName() + "/";
        assertTrue(uri.startsWith(prefix), "the handler is in the client bundle: " + uri);
        return ContextInjectionFactory.make(client.loadClass(uri.substring(prefix.length())), context(part));
    }

    /** What a handler of the window finds in its context: the part service, which knows the client part. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private IEclipseContext context(ClientPart part) {
        MPart model = MBasicFactory.INSTANCE.createPart();
        model.setElementId(ClientPart.ID);
        model.setObject(part);
        EPartService parts = (EPartService) Proxy.newProxyInstance(EPartService.class.getClassLoader(),
                new Class<?>[] { EPartService.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "findPart" -> ClientPart.ID.equals(args[0]) ? model : null;
                    case "toString" -> "the window's parts";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        IEclipseContext context = EclipseContextFactory.create("window");
        context.set(EPartService.class, parts);
        services.forEach((type, service) -> context.set((Class) type, service));
        return context;
    }

    private Element element(String tag, String attribute, String value) {
        for (Element e : elements(tag)) {
            String actual = attribute.equals("id") ? e.getAttributeNS(XMI, "id") : e.getAttribute(attribute);
            if (actual.equals(value)) {
                return e;
            }
        }
        throw new AssertionError("no " + tag + " with " + attribute + "=" + value + " in Application.e4xmi");
    }

    private List<Element> elements(String tag) {
        NodeList nodes = model.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                found.add(e);
            }
        }
        return found;
    }
}
