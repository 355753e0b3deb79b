using System;
using System.Runtime.InteropServices;

namespace DiffGen.Distributed;

/// <summary>
/// The few MPI functions DiffGen uses, bound at run time to Open MPI's <c>libmpi.so.40</c> (Debian's <c>libopenmpi3</c>,
/// Open MPI 4.x). Open MPI's predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are the
/// addresses of exported globals, so they are looked up as symbols; MPICH-ABI libraries (integer handles) are not supported.
/// </summary>
/// <remarks>
/// Function pointers rather than <c>[LibraryImport]</c>: the library is opened once with <c>RTLD_GLOBAL</c> (Open MPI's
/// plugins expect libmpi's symbols to be global, as mpi4py also arranges), and nothing is resolved until a job asks for MPI,
/// so a process that never uses MPI never needs the library.
/// </remarks>
internal sealed unsafe partial class OpenMpiLibrary
{
    public const int Success = 0;
    public const int ThreadMultiple = 3;

    /// <summary><c>MPI_IN_PLACE</c> in Open MPI.</summary>
    public static readonly void* InPlace = (void*)1;

    private static readonly string[] Candidates = ["libmpi.so.40", "libmpi.so"];
    private static OpenMpiLibrary? s_instance;
    private static readonly object s_gate = new();

    private OpenMpiLibrary(nint handle)
    {
        Handle = handle;
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        FinalizeMpi = (delegate* unmanaged<int>)Export("MPI_Finalize");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Reduce = (delegate* unmanaged<void*, void*, int, nint, nint, int, nint, int>)Export("MPI_Reduce");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        CommWorld = Export("ompi_mpi_comm_world");
        ErrorsReturn = Export("ompi_mpi_errors_return");
        Byte = Export("ompi_mpi_byte");
        Int32 = Export("ompi_mpi_int");
        Int64 = Export("ompi_mpi_long_long_int");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Sum = Export("ompi_mpi_op_sum");
        Max = Export("ompi_mpi_op_max");
        Min = Export("ompi_mpi_op_min");
    }

    public nint Handle { get; }

    public delegate* unmanaged<int*, byte***, int, int*, int> InitThread { get; }

    public delegate* unmanaged<int> FinalizeMpi { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }

    public delegate* unmanaged<int*, int> Finalized { get; }

    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }

    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, int, nint, int> Reduce { get; }

    public delegate* unmanaged<nint, int> Barrier { get; }

    public delegate* unmanaged<nint, int, int> Abort { get; }

    public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

    public nint CommWorld { get; }

    public nint ErrorsReturn { get; }

    public nint Byte { get; }

    public nint Int32 { get; }

    public nint Int64 { get; }

    public nint Float { get; }

    public nint Double { get; }

    public nint Sum { get; }

    public nint Max { get; }

    public nint Min { get; }

    /// <summary>Opens the library once per process.</summary>
    /// <exception cref="DllNotFoundException">No Open MPI library: the message says which package to install.</exception>
    public static OpenMpiLibrary Load()
    {
        lock (s_gate)
        {
            return s_instance ??= new OpenMpiLibrary(Open());
        }
    }

    /// <summary>The MPI datatype of <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">No MPI type is bound for <typeparamref name="T"/>.</exception>
    public nint Datatype<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? Float
        : typeof(T) == typeof(double) ? Double
        : typeof(T) == typeof(int) ? Int32
        : typeof(T) == typeof(long) ? Int64
        : typeof(T) == typeof(byte) ? Byte
        : throw new NotSupportedException($"No MPI datatype for {typeof(T).Name}: use float, double, int, long or byte.");

    /// <summary>The C# keyword of <typeparamref name="T"/>, for messages.</summary>
    public static string TypeName<T>() =>
        typeof(T) == typeof(float) ? "float" : typeof(T) == typeof(double) ? "double" : typeof(T) == typeof(int) ? "int" : typeof(T) == typeof(long) ? "long" : typeof(T).Name.ToLowerInvariant();

    /// <summary>The text of an MPI error code.</summary>
    public string Describe(int code)
    {
        byte* text = stackalloc byte[256]; // MPI_MAX_ERROR_STRING is 256 in Open MPI
        int length = 0;
        return ErrorString(code, text, &length) == Success
            ? $"MPI error {code}: {System.Text.Encoding.ASCII.GetString(text, Math.Clamp(length, 0, 255))}"
            : $"MPI error {code}";
    }

    private static nint Open()
    {
        string? reason = null;
        foreach (string name in Candidates)
        {
            nint handle = Dl.Open(name, Dl.Now | Dl.Global);
            if (handle != 0)
            {
                return handle;
            }

            reason ??= Dl.LastError();
        }

        throw new DllNotFoundException(
            $"Open MPI's libmpi.so.40 could not be loaded ({reason}). Install Open MPI 4.x (Debian: apt-get install openmpi-bin libopenmpi-dev) and start the job with mpirun.");
    }

    private nint Export(string name) =>
        NativeLibrary.TryGetExport(Handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"libmpi has no symbol '{name}': DiffGen.Distributed needs Open MPI 4.x (its ABI exports the predefined handles).");

    /// <summary>dlopen with RTLD_GLOBAL, which <see cref="NativeLibrary.Load(string)"/> does not offer.</summary>
    private static partial class Dl
    {
        public const int Now = 0x2;
        public const int Global = 0x100;

        public static nint Open(string name, int flags) => dlopen(name, flags);

        public static string LastError() => Marshal.PtrToStringUTF8(dlerror()) ?? "unknown dlopen error";

        [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
        private static partial nint dlopen(string file, int mode);

        [LibraryImport("libc.so.6")]
        private static partial nint dlerror();
    }
}
