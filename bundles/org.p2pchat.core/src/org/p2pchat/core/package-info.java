/** The chat model and the peer session every transport implements. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.p2pchat.core;
