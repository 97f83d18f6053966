package io.hyperops.engine.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where read-only commands find the config last accepted while the file holds an edit that does not load. */
final class TestAcceptedConfig
{
    @TempDir
    Path folder;

    @Test
    void aSyntaxErrorFurtherDownStillFindsTheCopyInTheStateFolderTheEngineSectionNames()
            throws IOException
    {
        Path state = Files.createDirectories(folder.resolve("elsewhere/state"));
        Path config = folder.resolve("hyperops.json");
        String accepted = "{\n  \"engine\": { \"state_dir\": \"" + state + "\", \"time_zone\": \"UTC\" },\n  \"counter\": { \"schedule\": \"daily\" }\n}\n";
        Files.writeString(config, accepted);
        AcceptedConfig.save(config, accepted.getBytes(StandardCharsets.UTF_8), state);

        // the edit: a comma left out in a job's section, so the file is no JSON at all
        Files.writeString(config, accepted.replace("\"daily\" }", "\"daily\" \"enabled\": true }"));

        assertThat(AcceptedConfig.find(config)).hasValue(state.resolve(AcceptedConfig.name(config)));
    }

    @Test
    void anEngineSectionCutShortKeepsItsTextValuesReadBeforeTheCut()
            throws IOException
    {
        Path config = Files.writeString(folder.resolve("cut.json"), "{ // a comment\n \"engine\": { \"state_dir\": \"/srv/hyperops\", \"port\": 5, \"data_dir\": ");

        assertThat(ConfigLoader.engineSectionLeniently(config).path("state_dir").asText()).isEqualTo("/srv/hyperops");
        assertThat(ConfigLoader.engineSectionLeniently(config).has("port")).isFalse();
        assertThat(ConfigLoader.engineSectionLeniently(Files.writeString(folder.resolve("none.json"), "not json")).isMissingNode()).isTrue();
        assertThat(ConfigLoader.engineSectionLeniently(Files.writeString(folder.resolve("after.json"), "{ \"jobs\": { , \"engine\": { \"state_dir\": \"/x\" } }"))
                .isMissingNode()).as("an engine section after the error is not read").isTrue();
    }
}
