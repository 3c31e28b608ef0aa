package org.jenkinsci.remoting;

import java.io.Serializable;

/**
 * Compile-only stub of org.jenkinsci.remoting.SerializableOnlyOverRemoting from org.jenkins-ci.main:remoting
 * 3352.v17a_fb_4b_2773f (as used by jenkins-core 2.541.3): serializable only over an agent channel; anywhere else (a
 * Pipeline's persisted program state, say) serializing it fails. Its one member, {@code getChannelForSerialization()}
 * ({@code @Restricted(ProtectedExternally.class)}), is left out: the plugin never calls it.
 */
public interface SerializableOnlyOverRemoting extends Serializable {
}
