package io.jenkins.plugins.ephemeral_credentials.config;

import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import io.github.ephemeralcredentials.core.oidc.IssuerUrls;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jenkins.model.GlobalConfiguration;
import jenkins.model.GlobalConfigurationCategory;
import jenkins.model.Jenkins;
import jenkins.model.JenkinsLocationConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › Security › Ephemeral Credentials: the trust policy (the shared engine's YAML, which defines the
 * credential profiles and who may use them), the secrets some profiles need, and the issuer's settings. Signing keys
 * are not here: see {@code IssuerKeys}, so saving this page or reloading Configuration as Code never changes them.
 */
@Extension
@Symbol("ephemeralCredentials")
public final class EphemeralCredentialsConfiguration extends GlobalConfiguration {

    static final int DEFAULT_TOKEN_LIFETIME_MINUTES = 10;
    static final int DEFAULT_ROTATION_DAYS = 30;
    static final int DEFAULT_KEY_OVERLAP_HOURS = 48;

    private String policy;
    private String issuerUrl;
    private int tokenLifetimeMinutes = DEFAULT_TOKEN_LIFETIME_MINUTES;
    private int rotationDays = DEFAULT_ROTATION_DAYS;
    private int keyOverlapHours = DEFAULT_KEY_OVERLAP_HOURS;
    private List<ProfileSecret> profileSecrets = new ArrayList<>();

    private transient volatile Policy parsed;

    public EphemeralCredentialsConfiguration() {
        load();
    }

    @Override
    public synchronized void load() {
        super.load();
        parsed = null;
    }

    public static EphemeralCredentialsConfiguration get() {
        return ExtensionList.lookupSingleton(EphemeralCredentialsConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return Messages.EphemeralCredentialsConfiguration_DisplayName();
    }

    @Override
    public GlobalConfigurationCategory getCategory() {
        return GlobalConfigurationCategory.get(GlobalConfigurationCategory.Security.class);
    }

    public String getPolicy() {
        return policy;
    }

    /** @throws IllegalArgumentException listing every problem as {@code line:column: message} */
    @DataBoundSetter
    public void setPolicy(String policy) {
        String text = Util.fixEmptyAndTrim(policy) == null ? null : policy;
        this.parsed = text == null ? null : TrustPolicy.parse(text);
        this.policy = text;
        save();
    }

    /** The parsed trust policy; empty until an administrator writes one (then every request is denied). */
    public Optional<Policy> trustPolicy() {
        Policy p = parsed;
        if (p == null && policy != null) {
            p = TrustPolicy.parse(policy);
            parsed = p;
        }
        return Optional.ofNullable(p);
    }

    /** The administrator's issuer URL, or {@code null} for the default (Jenkins URL + fixed path). */
    public String getIssuerUrl() {
        return issuerUrl;
    }

    @DataBoundSetter
    public void setIssuerUrl(String issuerUrl) {
        String url = Util.fixEmptyAndTrim(issuerUrl);
        this.issuerUrl = url == null ? null : IssuerUrls.validate(url);
        save();
    }

    public int getTokenLifetimeMinutes() {
        return tokenLifetimeMinutes;
    }

    @DataBoundSetter
    public void setTokenLifetimeMinutes(int tokenLifetimeMinutes) {
        this.tokenLifetimeMinutes = Setting.TOKEN_LIFETIME_MINUTES.check(tokenLifetimeMinutes);
        save();
    }

    public int getRotationDays() {
        return rotationDays;
    }

    @DataBoundSetter
    public void setRotationDays(int rotationDays) {
        this.rotationDays = Setting.ROTATION_DAYS.check(rotationDays);
        save();
    }

    public int getKeyOverlapHours() {
        return keyOverlapHours;
    }

    @DataBoundSetter
    public void setKeyOverlapHours(int keyOverlapHours) {
        this.keyOverlapHours = Setting.KEY_OVERLAP_HOURS.check(keyOverlapHours);
        save();
    }

    public List<ProfileSecret> getProfileSecrets() {
        return profileSecrets == null ? List.of() : List.copyOf(profileSecrets);
    }

    @DataBoundSetter
    public void setProfileSecrets(List<ProfileSecret> profileSecrets) {
        this.profileSecrets = profileSecrets == null ? new ArrayList<>() : new ArrayList<>(profileSecrets);
        save();
    }

    public Duration tokenLifetime() {
        return Duration.ofMinutes(tokenLifetimeMinutes);
    }

    public Duration rotationPeriod() {
        return Duration.ofDays(rotationDays);
    }

    /** At least the token lifetime plus the JWKS cache time, whatever was configured. */
    public Duration keyOverlap() {
        Duration floor = tokenLifetime().plusMinutes(10);
        Duration configured = Duration.ofHours(keyOverlapHours);
        return configured.compareTo(floor) < 0 ? floor : configured;
    }

    /**
     * Validates everything before binding anything, so a bad policy never replaces a good one, even in memory, and
     * reports each problem against the field at fault.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        String text = json.optString("policy", "");
        if (Util.fixEmptyAndTrim(text) != null) {
            try {
                TrustPolicy.parse(text);
            } catch (IllegalArgumentException e) {
                throw new FormException(e.getMessage(), "policy");
            }
        }
        String url = Util.fixEmptyAndTrim(json.optString("issuerUrl", ""));
        if (url != null) {
            try {
                IssuerUrls.validate(url);
            } catch (IllegalArgumentException e) {
                throw new FormException(e.getMessage(), "issuerUrl");
            }
        }
        for (Setting setting : Setting.values()) {
            try {
                setting.parse(json.optString(setting.field, ""));
            } catch (IllegalArgumentException e) {
                throw new FormException(e.getMessage(), setting.field);
            }
        }
        try (BulkChange bc = new BulkChange(this)) {
            // The form omits an empty list entirely; without this the last secret could never be removed.
            profileSecrets = new ArrayList<>();
            boolean result = super.configure(req, json);
            bc.commit();
            return result;
        } catch (IOException e) {
            throw new FormException(Messages.EphemeralCredentialsConfiguration_CouldNotSave(e.getMessage()), e,
                    "policy");
        } catch (IllegalArgumentException e) {
            // Everything else was checked above: what is left is a secret binding with a field left empty.
            load();
            throw new FormException(e.getMessage(), "profileSecrets");
        }
    }

    @POST
    public FormValidation doCheckPolicy(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.warning(Messages.EphemeralCredentialsConfiguration_NoPolicy());
        }
        return TrustPolicy.check(value);
    }

    @POST
    public FormValidation doCheckIssuerUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String url = Util.fixEmptyAndTrim(value);
        if (url == null) {
            // The default needs the configured Jenkins URL: never one taken from a request.
            return Util.fixEmptyAndTrim(JenkinsLocationConfiguration.get().getUrl()) == null
                    ? FormValidation.warning(Messages.EphemeralCredentialsConfiguration_NoJenkinsUrl())
                    : FormValidation.ok(Messages.EphemeralCredentialsConfiguration_DefaultIssuerUrl());
        }
        try {
            IssuerUrls.validate(url);
            return FormValidation.ok(Messages.EphemeralCredentialsConfiguration_PublishAtIssuerUrl());
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
