package org.kohsuke.accmod.restrictions;

import org.kohsuke.accmod.AccessRestriction;

/**
 * Compile-only stub of org.kohsuke.accmod.restrictions.ProtectedExternally from org.kohsuke:access-modifier-annotation 1.35 (as used by jenkins-core 2.541.3): outside its module, a member
 * that may be overridden or called on {@code super} only.
 */
public class ProtectedExternally extends AccessRestriction {
}
