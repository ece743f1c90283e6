using Orleans.Runtime;
using Orleans.Storage;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Orleans grain storage over an <see cref="IGrainStateStore"/>, with ETag checks.</summary>
public sealed class StoreGrainStorage(IGrainStateStore store, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await store.Read(stateName, grainId.ToString());
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = serializer.Deserialize<T>(new BinaryData(stored.Data));
        grainState.ETag = stored.Etag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State);
        grainState.ETag = await store.Write(stateName, grainId.ToString(), data.ToMemory(), grainState.ETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await store.Clear(stateName, grainId.ToString(), grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }
}
