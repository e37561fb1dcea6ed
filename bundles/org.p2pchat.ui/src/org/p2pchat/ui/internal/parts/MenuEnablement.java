package org.p2pchat.ui.internal.parts;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.model.application.ui.menu.MHandledMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenu;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuElement;

/**
 * Sets every command item of a window's menu bar enabled exactly when its handler can act now, as
 * the workbench does only when a menu closes (so a menu opened from the keyboard showed what was
 * true before).
 */
final class MenuEnablement {

    private MenuEnablement() {
    }

    static void update(MWindow window) {
        MMenu menu = window.getMainMenu();
        IEclipseContext context = window.getContext();
        if (menu == null || context == null) {
            return;
        }
        IEclipseContext active = context.getActiveLeaf();
        EHandlerService handlers = active.get(EHandlerService.class);
        ECommandService commands = active.get(ECommandService.class);
        if (handlers != null && commands != null) {
            update(menu, handlers, commands, active);
        }
    }

    private static void update(MMenu menu, EHandlerService handlers, ECommandService commands, IEclipseContext active) {
        for (MMenuElement element : menu.getChildren()) {
            if (element instanceof MMenu sub) {
                update(sub, handlers, commands, active);
            } else if (element instanceof MHandledMenuItem item && item.getCommand() != null) {
                ParameterizedCommand command = item.getWbCommand() != null ? item.getWbCommand()
                        : commands.createCommand(item.getCommand().getElementId(), null);
                if (command != null) {
                    item.setEnabled(handlers.canExecute(command, active));
                }
            }
        }
    }
}
