package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.policy.ExportException;
import io.github.ephemeralcredentials.core.policy.ExportFormat;
import io.github.ephemeralcredentials.core.policy.ExportResult;
import io.github.ephemeralcredentials.core.policy.DisplayText;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy export FILE --profile NAME --format aws|gcp|vault|azure [--lossy]}. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {"Print the provider-side trust configuration that enforces a profile's rules where the "
                + "provider can express them:",
                "  aws    IAM role trust policy JSON",
                "  gcp    workload identity pool provider (oidc, attributeMapping, attributeCondition)",
                "  vault  JWT auth role JSON",
                "  azure  federated identity credential JSON",
                "A condition the target cannot express fails the export, naming it; --lossy exports the closest "
                        + "broader form instead and warns (on standard error) what the provider will not check."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  exported (with --lossy, warnings may have been printed)",
                "  1  a rule or condition cannot be expressed in the target format, or no rule grants the profile",
                "  2  usage error",
                "  3  the file is invalid or unreadable"})
final class PolicyExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    Path file;

    @Option(names = "--profile", required = true, paramLabel = "NAME", description = "The profile to export.")
    String profile;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "One of: aws, gcp, vault, azure.", converter = FormatConverter.class)
    ExportFormat format;

    @Option(names = "--lossy", description = "Export the closest broader form of what the target cannot express.")
    boolean lossy;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Policy> loaded = PolicyFiles.load(file, err);
        if (loaded.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        ExportResult result;
        try {
            result = loaded.get().export(profile, format, lossy);
        } catch (ExportException e) {
            err.println(DisplayText.escape("cannot export profile '" + profile + "' as " + format.word() + " ["
                    + e.reason() + "]: " + e.getMessage()));
            err.flush();
            return ExitCodes.NO;
        }
        for (String warning : result.warnings()) {
            err.println(DisplayText.escape("warning: " + warning));
        }
        err.flush();
        out.println(result.document());
        out.flush();
        return ExitCodes.OK;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            for (ExportFormat f : ExportFormat.values()) {
                if (f.word().equals(value)) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of aws, gcp, vault, azure");
        }
    }
}
