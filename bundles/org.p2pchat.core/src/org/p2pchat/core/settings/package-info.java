/** User settings of one profile, persisted as JSON in the profile directory. */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.p2pchat.core.settings;
