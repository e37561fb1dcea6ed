package org.p2pchat.ui.internal.parts;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Layout;

/**
 * Lays out a composite's second child as a sidebar on the left, with a one-pixel gap, and its
 * first child in the rest. The sidebar has its full width in a wide window and gives up to a
 * third of it in a narrow one, down to {@value #MIN_WIDTH} pixels, so the main content keeps room. The main content comes first among the children so that
 * what looks for the first of a kind of control (the Connect page's list of methods) finds it there.
 */
final class SidebarLayout extends Layout {

    private static final int MIN_WIDTH = 160;
    /** The share of the window's width (in tenths) the sidebar takes at most. */
    private static final int SHARE_TENTHS = 3;

    private final int width;

    SidebarLayout(int width) {
        this.width = width;
    }

    @Override
    protected Point computeSize(Composite composite, int wHint, int hHint, boolean flushCache) {
        Control[] children = composite.getChildren();
        Point main = children.length > 0 ? children[0].computeSize(mainHint(wHint), hHint, flushCache) : new Point(0, 0);
        Point side = children.length > 1 ? children[1].computeSize(width, hHint, flushCache) : new Point(0, 0);
        return new Point(width + 1 + main.x, Math.max(main.y, side.y));
    }

    private int mainHint(int wHint) {
        return wHint == org.eclipse.swt.SWT.DEFAULT ? wHint : Math.max(0, wHint - width - 1);
    }

    /** The sidebar's width in a composite {@code total} pixels wide. */
    int sideWidth(int total) {
        return Math.min(Math.min(width, total / 2), Math.max(MIN_WIDTH, total * SHARE_TENTHS / 10));
    }

    @Override
    protected void layout(Composite composite, boolean flushCache) {
        Rectangle area = composite.getClientArea();
        Control[] children = composite.getChildren();
        int side = sideWidth(area.width);
        if (children.length > 1) {
            children[1].setBounds(area.x, area.y, side, area.height);
        }
        if (children.length > 0) {
            children[0].setBounds(area.x + side + 1, area.y, Math.max(0, area.width - side - 1), area.height);
        }
    }
}
