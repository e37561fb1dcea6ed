/** The rendezvous service's implementation; exported x-internal for its tests only. */
package org.p2pchat.rendezvous.internal;
