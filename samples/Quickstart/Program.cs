System.Console.WriteLine("Quickstart: coming with the generator core.");
