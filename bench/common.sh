# Sourced by the bench scripts from the repository's top: a Release build of the system and the simulator, where they
# are ($silo, $sim), and $pids, whose processes are stopped when the script exits.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release Silo -v q -nologo | tail -1
dotnet build -c Release Simulator -v q -nologo | tail -1
silo=Silo/bin/Release/net10.0/SafetyPatrol.Silo.dll
sim="dotnet Simulator/bin/Release/net10.0/SafetyPatrol.Simulator.dll"
pids=(); trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
