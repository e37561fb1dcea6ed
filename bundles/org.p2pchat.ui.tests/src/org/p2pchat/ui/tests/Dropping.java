package org.p2pchat.ui.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TransferData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Event;

/**
 * Drags files over a drop target and drops them, as SWT reports a drop from a file manager: the
 * target's own listeners get DragEnter and Drop events carrying the file type and the paths.
 * <p>
 * {@link #drop} makes the events by reflection (SWT's drop event class is not public): everything
 * after them is the client's real code. {@link #dragWithMouse} drags for real on the X display.
 */
final class Dropping {

    private Dropping() {
    }

    /** Drags {@code paths} over {@code target} and drops them; on the UI thread. */
    static void drop(DropTarget target, String... paths) throws ReflectiveOperationException {
        TransferData[] types = FileTransfer.getInstance().getSupportedTypes();
        Event enter = event(target, types, null);
        enter.detail = DND.DROP_DEFAULT;
        target.notifyListeners(DND.DragEnter, enter);
        if (enter.detail == DND.DROP_NONE) {
            throw new AssertionError("the drop target refuses the files");
        }
        Event drop = event(target, types, paths);
        drop.detail = enter.detail;
        target.notifyListeners(DND.Drop, drop);
    }

    /**
     * Presses the first mouse button at {@code from}, moves to {@code to} in small steps (as a hand
     * does, so that the toolkit sees a drag) and releases it, with xdotool on the X display.
     * Call it off the UI thread, which must keep running meanwhile.
     */
    static void dragWithMouse(Point from, Point to) {
        xdotool("mousemove", "--sync", String.valueOf(from.x), String.valueOf(from.y));
        xdotool("mousedown", "1");
        int steps = 20;
        for (int i = 1; i <= steps; i++) {
            xdotool("mousemove", "--sync", String.valueOf(from.x + (to.x - from.x) * i / steps),
                    String.valueOf(from.y + (to.y - from.y) * i / steps));
        }
        xdotool("mousemove", "--sync", String.valueOf(to.x + 1), String.valueOf(to.y + 1)); // a last move over the target
        xdotool("mouseup", "1");
    }

    /**
     * Turns the mouse wheel {@code clicks} steps ({@code up} or down) with the pointer at {@code at},
     * with xdotool on the X display. Call it off the UI thread, which must keep running meanwhile.
     */
    static void wheel(Point at, boolean up, int clicks) {
        xdotool("mousemove", "--sync", String.valueOf(at.x), String.valueOf(at.y));
        xdotool("click", "--repeat", String.valueOf(clicks), "--delay", "30", up ? "4" : "5");
    }

    private static void xdotool(String... args) {
        List<String> command = new ArrayList<>(List.of("xdotool"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Event event(DropTarget target, TransferData[] types, Object data) throws ReflectiveOperationException {
        Class<?> type = Class.forName("org.eclipse.swt.dnd.DNDEvent", true, DND.class.getClassLoader());
        Constructor<?> make = type.getDeclaredConstructor();
        make.setAccessible(true);
        Event e = (Event) make.newInstance();
        e.widget = target;
        e.display = target.getDisplay();
        e.time = (int) System.currentTimeMillis();
        e.data = data;
        set(type, e, "dataTypes", types);
        set(type, e, "dataType", types[0]);
        set(type, e, "operations", DND.DROP_COPY | DND.DROP_MOVE);
        set(type, e, "feedback", DND.FEEDBACK_SELECT);
        return e;
    }

    private static void set(Class<?> type, Object target, String name, Object value) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }
}
