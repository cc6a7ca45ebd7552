using System.Text;

namespace GenSR.Core.Tests.Data;

/// <summary>A temporary folder for dataset files, deleted on dispose.</summary>
internal sealed class TempDatasetFolder : IDisposable
{
    public TempDatasetFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gensr-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes UTF-8 text (no BOM) and returns the file's full path.</summary>
    public string Write(string fileName, string text) => WriteBytes(fileName, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes raw bytes and returns the file's full path.</summary>
    public string WriteBytes(string fileName, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
