/** The chat model and the peer session every transport implements. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.p2pchat.core;
