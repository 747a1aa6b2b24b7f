package org.dialtune.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Gives every command of the tree {@code -h/--help} and {@code -V/--version}, and every command with
 * subcommands a {@code help} subcommand ({@code dialtune tasks help catalog}). Applied to the whole tree
 * when the command line is built, so a new command cannot be added without them: without {@code --help},
 * picocli answers a command's required options ("Missing required options") before anything else.
 */
final class StandardHelp {
    private StandardHelp() {}

    static CommandLine applyTo(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        if (spec.versionProvider() == null) spec.versionProvider(new VersionProvider());
        if (!cli.getSubcommands().isEmpty() && !cli.getSubcommands().containsKey("help")) {
            cli.addSubcommand("help", new CommandLine.HelpCommand());
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) applyTo(sub);
        }
        return cli;
    }
}
