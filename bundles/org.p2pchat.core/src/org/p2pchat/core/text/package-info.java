/**
 * Text that other people chose and we show: display names cleaned of what could disguise them,
 * and the words clients use about trust, so every client says the same thing.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.core.text;
