package org.p2pchat.ui.internal.parts;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;

/**
 * Where a message is written: the input (Enter sends, Shift+Enter starts a new line) and "Send".
 * What sending does is the chat's.
 */
final class ComposeBox {

    static final String INPUT = "chat.input";
    static final String SEND = "chat.send";
    private static final String HINT = "Write a message. Enter sends, Shift+Enter starts a new line.";

    private final Text input;
    private final Button send;
    private final Runnable sending;

    ComposeBox(Composite parent, Runnable sending) {
        this.sending = sending;
        Composite compose = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(6, 0).applyTo(compose);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(compose);
        input = Ui.tag(new Text(compose, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER), INPUT);
        input.setMessage(HINT);
        GridDataFactory.fillDefaults().grab(true, false).hint(200, 3 * input.getLineHeight() + 8).applyTo(input);
        input.addListener(SWT.KeyDown, this::inputKey);
        send = Ui.button(compose, "Send", SEND, sending);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.FILL).applyTo(send);
    }

    private void inputKey(Event e) {
        if (e.keyCode != SWT.CR && e.keyCode != SWT.KEYPAD_CR) {
            return;
        }
        e.doit = false;
        if ((e.stateMask & SWT.SHIFT) != 0) {
            input.insert(input.getLineDelimiter());
        } else if ((e.stateMask & SWT.MODIFIER_MASK) == 0) {
            sending.run();
        }
    }

    /** What is written, without surrounding blanks. */
    String text() {
        return input.getText().strip();
    }

    void clear() {
        input.setText("");
    }

    /** Puts back words that could not be sent, unless something new was written meanwhile. */
    void restore(String content) {
        if (input.getText().isEmpty()) {
            input.setText(content);
        }
    }

    /**
     * Whether a message can be written ({@code live}) and sent now ({@code canSend}); when it
     * cannot be written, the input says why ({@code notLive}).
     */
    void enable(boolean live, boolean canSend, String notLive) {
        send.setEnabled(canSend);
        input.setEnabled(live);
        input.setMessage(live ? HINT : notLive);
    }

    /** Focuses the input if it takes text; false if it does not. */
    boolean setFocus() {
        return input.isEnabled() && input.setFocus();
    }
}
