package org.p2pchat.signaling.manual.internal;

import org.osgi.service.component.annotations.Component;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignalingProvider;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.core.signaling.TextSignalingProvider;

/**
 * TEMPORARY: the manual exchange under the old SPI, for the command line and the desktop until
 * they use the client layer; delete it with {@link TextSignalingProvider}. The text forms are
 * {@link ManualPasteCodec}'s, so both SPIs read and write the same text.
 */
@Component(service = { SignalingProvider.class, TextSignalingProvider.class })
public final class LegacyTextSignalingProvider implements TextSignalingProvider {

    @Override
    public String id() {
        return ManualSignalingProvider.ID;
    }

    @Override
    public String displayName() {
        return "Manual exchange";
    }

    @Override
    public String description() {
        return ManualSignalingProvider.DESCRIPTION;
    }

    @Override
    public String encode(SignedDescription description, Form form) {
        return ManualPasteCodec.INSTANCE.encode(description, PasteCodec.Form.valueOf(form.name()));
    }

    @Override
    public SignedDescription decodeSigned(String text, Type expected) throws SignalingException {
        return ManualPasteCodec.INSTANCE.decode(text, expected);
    }
}
