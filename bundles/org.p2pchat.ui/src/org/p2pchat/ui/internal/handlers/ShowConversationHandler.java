package org.p2pchat.ui.internal.handlers;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.p2pchat.ui.internal.parts.ClientPart;

/** Ctrl+1..9: the conversation of that number in the list comes to the front. */
public class ShowConversationHandler {

    /** The command's parameter: the conversation's number in the list, from 1. */
    public static final String NUMBER = "org.p2pchat.ui.command.showConversation.number";

    @CanExecute
    public boolean canExecute(@Optional EPartService parts, @Optional @Named(NUMBER) String number) {
        ClientPart client = ClientPartHandler.client(parts);
        int n = parse(number);
        return client != null && n >= 1 && n <= client.conversationCount();
    }

    @Execute
    public void execute(@Optional EPartService parts, @Named(NUMBER) String number) {
        ClientPart client = ClientPartHandler.client(parts);
        if (client != null) {
            client.showNumber(parse(number));
        }
    }

    private static int parse(String number) {
        try {
            return number == null ? 0 : Integer.parseInt(number.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
