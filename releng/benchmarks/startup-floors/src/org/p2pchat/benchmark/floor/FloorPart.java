package org.p2pchat.benchmark.floor;

import jakarta.annotation.PostConstruct;

import org.eclipse.swt.widgets.Composite;

/** The client's part replaced by the floor's rows: E4 and the client's model without the client. */
public class FloorPart {

    @PostConstruct
    void create(Composite parent) {
        FloorWindow.rows(parent);
    }
}
