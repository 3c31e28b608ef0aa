package io.jenkins.plugins.ephemeral_credentials.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The plugin's range checks, in the default build: the Messages class here is the one localizer generates from the
 * plugin's own Messages.properties, so a broken message format fails here too.
 */
class SettingTest {

    @Test
    void eachSettingNamesItsOwnFieldAndRange() {
        assertThat(Setting.TOKEN_LIFETIME_MINUTES.field).isEqualTo("tokenLifetimeMinutes");
        assertThatThrownBy(() -> Setting.TOKEN_LIFETIME_MINUTES.check(61))
                .hasMessage("tokenLifetimeMinutes must be between 1 and 60, got 61");
        assertThatThrownBy(() -> Setting.ROTATION_DAYS.check(0))
                .hasMessage("rotationDays must be between 1 and 365, got 0");
        assertThatThrownBy(() -> Setting.KEY_OVERLAP_HOURS.check(1000))
                .hasMessage("keyOverlapHours must be between 2 and 720, got 1000");
        assertThat(Setting.KEY_OVERLAP_HOURS.check(720)).isEqualTo(720);
        assertThat(Setting.KEY_OVERLAP_HOURS.check(2)).isEqualTo(2);
    }

    @Test
    void aSubmittedValueMustBeAWholeNumberInRange() {
        assertThat(Setting.ROTATION_DAYS.parse(" 14 ")).isEqualTo(14);
        for (String bad : new String[] {"", "  ", "1.5", "ten", "7\u20280", "\u202e5", "0x10", "99999999999"}) {
            assertThatThrownBy(() -> Setting.ROTATION_DAYS.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rotationDays must be a whole number between 1 and 365, got '");
        }
        assertThatThrownBy(() -> Setting.ROTATION_DAYS.parse(null)).hasMessageEndingWith("got ''");
        assertThatThrownBy(() -> Setting.ROTATION_DAYS.parse("-3")).hasMessage(
                "rotationDays must be between 1 and 365, got -3");
    }

    @Test
    void aLongPasteIsNotQuotedBackWhole() {
        String paste = "9".repeat(10_000) + "x";

        assertThatThrownBy(() -> Setting.TOKEN_LIFETIME_MINUTES.parse(paste))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void theOtherMessagesFormat() {
        assertThat(Messages.EphemeralCredentialsConfiguration_ValidPolicy("2", "3")).isEqualTo("Valid: 2 profile(s), 3 rule(s).");
        assertThat(Messages.ProfileSecret_VariableRequired()).contains("profile's parameters");
        assertThat(io.jenkins.plugins.ephemeral_credentials.issuer.Messages.Issuer_NotConfigured())
                .contains("request's Host").contains("Manage Jenkins > System");
        assertThat(io.jenkins.plugins.ephemeral_credentials.issuer.Messages.Issuer_InvalidUrl("x")).startsWith(
                "The issuer URL cannot be used: x.");
    }
}
