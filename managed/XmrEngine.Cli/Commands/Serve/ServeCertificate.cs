using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary><c>xmr serve</c>'s HTTPS flags: the server's certificate (a PFX/PKCS#12 file) and its password's file.</summary>
internal sealed class ServeCertificate
{
    private readonly Option<string> _certificate = new("--certificate")
    {
        Description = "PFX (PKCS#12) file with the certificate and private key for the https:// addresses of --urls (HTTP/2 and HTTP/1.1 are offered).",
    };

    private readonly Option<string> _passwordFile = new("--certificate-password-file")
    {
        Description = "File whose first line is the PFX's password (a file, not a flag, so the password stays out of the process list).",
    };

    public IEnumerable<Option> All => [_certificate, _passwordFile];

    /// <summary>The certificate, or null without <c>--certificate</c>; checked against the addresses <paramref name="urls"/>.</summary>
    public X509Certificate2? Read(ParseResult result, string urls)
    {
        string? path = result.GetValue(_certificate), passwordFile = result.GetValue(_passwordFile);
        bool https = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (path is null)
        {
            if (passwordFile is not null) throw new ArgumentException("--certificate-password-file needs --certificate.");
            if (https) throw new ArgumentException("--urls has an https:// address; give its certificate with --certificate FILE.pfx.");
            return null;
        }
        if (!https) throw new ArgumentException("--certificate is given but --urls has no https:// address (for example --urls https://0.0.0.0:5443).");
        if (!File.Exists(path)) throw new ArgumentException($"--certificate: no such file '{path}'.");
        string? password = null;
        if (passwordFile is not null)
        {
            if (!File.Exists(passwordFile)) throw new ArgumentException($"--certificate-password-file: no such file '{passwordFile}'.");
            password = File.ReadLines(passwordFile).FirstOrDefault() ?? "";
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"--certificate: cannot read '{path}' as a PFX file{(password is null ? " (is it password-protected? give --certificate-password-file)" : " with that password")}: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"--certificate: '{path}' holds no private key; a server certificate needs one.");
        }
        return certificate;
    }
}
