package org.p2pchat.ui.tests;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TransferData;
import org.eclipse.swt.widgets.Event;

/**
 * Drags files over a drop target and drops them, as SWT reports a drop from a file manager: the
 * target's own listeners get DragEnter and Drop events carrying the file type and the paths.
 * <p>
 * xdotool cannot start a drag from another application, and SWT's drop event class is not public,
 * so the events are made by reflection; everything after them is the client's real code.
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
