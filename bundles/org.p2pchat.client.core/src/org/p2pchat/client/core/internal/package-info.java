/** The client layer's implementation; exported to its tests only. */
package org.p2pchat.client.core.internal;
