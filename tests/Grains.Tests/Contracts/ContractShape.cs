using System.Reflection;
using System.Text;

namespace Grains.Tests.Contracts;

/// <summary>
/// The serialized shape of a set of types, one line per fact: a type's alias, each <c>[Id]</c>-ed member with its
/// id and type, each enum value with its number, each grain interface method with its alias and signature. Two
/// builds with the same text read each other's bytes.
/// </summary>
internal static class ContractShape
{
    public static string Of(params Assembly[] assemblies)
    {
        var text = new StringBuilder();
        var types = assemblies.SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.IsDefined(typeof(GenerateSerializerAttribute), inherit: false) || IsGrainInterface(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            text.Append(type.FullName).Append(" alias=").AppendLine(type.GetCustomAttribute<AliasAttribute>()?.Alias ?? "(none)");
            foreach (var line in type.IsEnum ? EnumValues(type) : IsGrainInterface(type) ? Methods(type) : Members(type))
            {
                text.Append("  ").AppendLine(line);
            }
        }

        return text.ToString();
    }

    private static bool IsGrainInterface(Type type) => type.IsInterface && typeof(IAddressable).IsAssignableFrom(type);

    private static IEnumerable<string> Methods(Type type) =>
        type.GetMethods()
            .Select(method => $"{method.GetCustomAttribute<AliasAttribute>()?.Alias ?? "(none)"}: {TypeName(method.ReturnType)} {method.Name}("
                + string.Join(", ", method.GetParameters().Select(parameter => TypeName(parameter.ParameterType))) + ")")
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> EnumValues(Type type) =>
        Enum.GetNames(type).Select(name => $"{name} = {Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)}");

    private static IEnumerable<string> Members(Type type) =>
        type.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Select(member => (member, id: member.GetCustomAttribute<IdAttribute>()))
            .Where(pair => pair.id is not null)
            .OrderBy(pair => pair.id!.Id)
            .Select(pair => $"[{pair.id!.Id}] {pair.member.Name}: {TypeName(MemberType(pair.member))}");

    private static Type MemberType(MemberInfo member) => member switch
    {
        PropertyInfo property => property.PropertyType,
        FieldInfo field => field.FieldType,
        _ => throw new InvalidOperationException($"[Id] on {member.MemberType} {member.Name}"),
    };

    private static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Namespace}.{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.FullName ?? type.Name;
}
