package org.kohsuke.accmod.restrictions;

import org.kohsuke.accmod.AccessRestriction;

/** Compile-only stub of org.kohsuke.accmod.restrictions.DoNotUse from org.kohsuke:access-modifier-annotation 1.35 (as used by jenkins-core 2.541.3): no use outside its own module, nested members included. */
public class DoNotUse extends AccessRestriction {
}
